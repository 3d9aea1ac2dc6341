"""The persons list's rows drawn in Python, with the HTML of ``vigil/rows/person.html``.

A list or name-search page draws 25 rows; through the row template each cost a new context, a
URL reversal, two date filters and four tags — more than the rest of the page. The template
stays the reference: ``tests/web/test_page_costs.py`` renders rows both ways and compares the
bytes.
"""

from __future__ import annotations

import datetime as dt
import html
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from vigil.records.dates import format_day
from vigil.web.search import PersonRow
from vigil.web.templatetags.vigil_format import (
    custody_badge_in,
    day,
    person_name,
    record_badges_in,
)

register = template.Library()

_PLACEHOLDER = uuid.UUID(int=0)
# The row's cells, each labelled (``data-label``) with its column's label, escaped once a page.
_PERSON_ROW = (
    '<tr>\n  <td data-label="{name}"><a href="{}">{}</a>{}</td>\n'
    '  <td data-label="{born}">{}</td>\n  <td data-label="{custody}">{}</td>\n'
    '  <td data-label="{updated}"><time datetime="{}">{}</time></td>\n'
    '  <td data-label="{record}">{}</td>\n</tr>\n'
)


def _escaped(value: Any) -> str:
    """``conditional_escape`` without its lazy-text wrapper (a row's values are never lazy):
    safe HTML as it is, anything else escaped."""
    safe = getattr(value, "__html__", None)
    return safe() if safe is not None else html.escape(str(value))  # as Django's ``escape``


@register.simple_tag(takes_context=True)
def person_rows(
    context: template.Context, rows: Iterable[Any], labels: Mapping[str, Any]
) -> SafeString:
    """The ``<tr>`` of each :class:`vigil.web.search.PersonRow`, as the row template draws it
    (``labels``: the columns' labels by key, as the template's ``labels``)."""
    # The page's row: each label escaped, and its braces doubled for ``format``, once a page.
    row_format = _PERSON_ROW
    for key in ("name", "born", "custody", "updated", "record"):
        label = _escaped(labels.get(key, "")).replace("{", "{{").replace("}", "}}")
        row_format = row_format.replace("{" + key + "}", label)
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

    convert = settings.USE_TZ if use_tz is None else use_tz
    # The active language and time zone, read once for the page (each read goes through
    # asgiref's context-local storage: five a row cost more than the row's formatting).
    language = get_language()
    zone = timezone.get_current_timezone()

    def cells(row: Any) -> tuple[str, ...]:
        person = row.person
        updated = person.updated_at
        if isinstance(updated, dt.datetime) and timezone.is_aware(updated):
            # Read in the current time zone once (``timezone.localtime``): the ``date``
            # filter's value (when the context converts) and the day ``day`` shows (it always
            # reads an aware time so).
            in_zone = updated.astimezone(zone)
            local = in_zone if convert else updated
            shown = format_day(in_zone.date(), language, short=True)
        else:
            local, shown = updated, day(updated, "short")
        born = row.born_in(language) if type(row) is PersonRow else row.born
        return (
            link.replace(placeholder, str(person.pk)),
            person_name(context, person),
            withheld if person.name_withheld and person.display_name else "",
            born or "—",
            custody_badge_in(row.custody, language) if row.custody else no_custody,
            # The ``date`` filter's "c": ISO 8601 (``DateFormat.c``), blank for no date.
            local.isoformat() if isinstance(local, dt.date) else "",
            shown,
            record_badges_in(person, language),
        )

    return mark_safe(  # noqa: S308  # nosec B308 B703 (every cell escaped unless already safe HTML)
        "".join(row_format.format(*map(_escaped, cells(row))) for row in rows)
    )


# The results table's header cells, as the loop over ``result.headers`` in
# ``vigil/list_table.html`` drew them (``SORT_HEADERS_LOOP`` below, kept as the reference:
# ``tests/web/test_sort_headers.py`` draws both and compares the bytes). The loop's five to
# eight cells cost a page about as much as ten rows: each an if, a lookup and an escape per
# value.
SORT_HEADERS_LOOP = (
    "{% for h in headers %}\n"
    '    <th scope="col"{% if h.column.numeric %} class="num"{% endif %}'
    '{% if h.aria_sort %} aria-sort="{{ h.aria_sort }}"{% endif %}>'
    '{% if h.url %}<a class="sort-link" href="?{{ h.url }}">{{ h.column.label }}'
    '<span class="sort-mark" aria-hidden="true">{% if h.aria_sort == "ascending" %} ▲'
    '{% elif h.aria_sort == "descending" %} ▼{% endif %}</span></a>'
    "{% else %}{{ h.column.label }}{% endif %}</th>\n"
    "  {% endfor %}"
)
_MARKS = {"ascending": " ▲", "descending": " ▼"}


@register.simple_tag
def sort_headers(headers: Iterable[Any]) -> SafeString:
    """The ``<th>`` of each :class:`vigil.web.listing.Header`, as ``SORT_HEADERS_LOOP`` draws
    them (every value escaped unless already safe HTML, as the template escapes)."""
    cells = []
    for h in headers:
        column, aria, url = h.column, h.aria_sort, h.url
        label = _escaped(column.label)
        cells.append(
            '\n    <th scope="col"'
            + (' class="num"' if column.numeric else "")
            + (f' aria-sort="{_escaped(aria)}"' if aria else "")
            + ">"
            + (
                f'<a class="sort-link" href="?{_escaped(url)}">{label}'
                f'<span class="sort-mark" aria-hidden="true">{_MARKS.get(aria, "")}</span></a>'
                if url
                else label
            )
            + "</th>\n  "
        )
    return mark_safe("".join(cells))  # noqa: S308  # nosec B308 B703 (every value escaped unless already safe HTML)
