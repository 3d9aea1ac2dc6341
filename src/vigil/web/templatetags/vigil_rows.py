"""The persons list's rows drawn in Python, with the HTML of ``vigil/rows/person.html``.

A list or name-search page draws 25 rows; through the row template each cost a new context, a
URL reversal, two date filters and four tags — more than the rest of the page. The template
stays the reference: ``tests/web/test_rows.py`` renders rows both ways and compares the bytes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django import template
from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from vigil.web.templatetags.vigil_format import custody_badge, day, person_name, record_badges

register = template.Library()

_PLACEHOLDER = uuid.UUID(int=0)
_PERSON_ROW = (
    '<tr>\n  <td><a href="{}">{}</a>{}</td>\n  <td>{}</td>\n  <td>{}</td>\n'
    '  <td><time datetime="{}">{}</time></td>\n  <td>{}</td>\n</tr>\n'
)


def _local(value: Any, use_tz: bool | None) -> Any:
    """What the template engine hands the ``date`` filter: an aware datetime in local time."""
    convert = settings.USE_TZ if use_tz is None else use_tz
    if isinstance(value, dt.datetime) and convert and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.simple_tag(takes_context=True)
def person_rows(context: template.Context, rows: Iterable[Any]) -> SafeString:
    """The ``<tr>`` of each :class:`vigil.web.search.PersonRow`, as the row template draws it."""
    # One reversal per page: the profile's address with each row's id in place of a placeholder.
    link = reverse("web:person", args=[_PLACEHOLDER])
    placeholder = str(_PLACEHOLDER)
    withheld = format_html(
        ' <span class="muted">({})</span>', gettext("name withheld by the source")
    )
    no_custody = format_html(
        '<span class="muted" title="{}">—</span>', gettext("No act against this person is recorded")
    )
    use_tz = context.use_tz

    def cells(row: Any) -> tuple[Any, ...]:
        person = row.person
        updated = person.updated_at
        return (
            link.replace(placeholder, str(person.pk)),
            person_name(context, person),
            withheld if person.name_withheld and person.display_name else "",
            row.born or "—",
            custody_badge(row.custody) if row.custody else no_custody,
            date_filter(_local(updated, use_tz), "c"),
            day(updated, "short"),
            record_badges(person),
        )

    return format_html_join("", _PERSON_ROW, (cells(row) for row in rows))
