"""Template filters and tags for the record: dates, terms in years and months, amounts, badges."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, gettext_lazy

from vigil.core.day_input import DayInput
from vigil.core.models import Confidentiality
from vigil.records import dates, quantities
from vigil.records.custody import Custody, CustodyState
from vigil.records.display_names import attach_display_names
from vigil.records.labels import language_label as _language_label
from vigil.records.labels import role_label as _role_label
from vigil.records.labels import scheme_label as _scheme_label
from vigil.records.models import Person
from vigil.sanctions.labels import issuer_label as _issuer_label

register = template.Library()


@register.filter
def term_length(months: Decimal | int | None) -> str:
    """A term in months as years and months ("4 years 6 months"): :func:`vigil.records.
    quantities.term_length`."""
    return quantities.term_length(months)


@register.filter
def day(value: dt.date | dt.datetime | None, style: str = "") -> str:
    """A day in the page's language ("17 June 2022", "17 июня 2022 г."); ``"short"`` for tables.

    Wraps :func:`vigil.records.dates.format_day`, the one date formatter.
    """
    return dates.format_day(value, short=style == "short")


@register.filter
def day_time(value: dt.datetime | None, style: str = "") -> str:
    """A moment in the page's language ("17 June 2022, 14:05"); styles, space-separated:
    ``"short"`` for tables ("17.06.2022, 14:05"), ``"seconds"`` for logs ("14:05:09").

    Wraps :func:`vigil.records.dates.format_day_time`.
    """
    styles = style.split()
    return dates.format_day_time(value, short="short" in styles, seconds="seconds" in styles)


@register.filter
def at_precision(value: dt.date | None, precision: str = "day") -> str:
    """A stored date at its precision in the page's language ("1980", "March 2021")."""
    if value is None:
        return ""
    return dates.display_date(value, precision or "day")


@register.simple_tag
def day_span(first: dt.date | None, last: dt.date | None) -> str:
    """Two days as a range in the page's language; one date when they are the same day."""
    return dates.format_span(first, last)


@register.filter
def issuer_label(code: str) -> str:
    """A sanctions list's issuer in the active language ("EU" → "ЕС")."""
    return _issuer_label(code)


@register.filter
def issuer_labels(codes: list[str]) -> list[str]:
    """Issuers in the active language, for ``|join``."""
    return [_issuer_label(c) for c in codes]


@register.simple_tag
def day_input(name: str, id: str, required: bool = False, value: Any = None) -> SafeString:
    """A day's text input in the page's language (placeholder "дд.мм.гггг"): the widget of
    ``vigil.core.day_input.DayField``, for forms written in a template."""
    attrs: dict[str, Any] = {"id": id, "required": required}
    return DayInput().render(name, value, attrs=attrs)


@register.filter(is_safe=True)
def one_stop(text: str) -> str:
    """A sentence whose date ends in "г." keeps one full stop ("2022 г.", never "г..")."""
    return dates.one_stop(str(text))


@register.simple_tag(takes_context=True)
def person_name(context: template.Context, person: Any) -> str:
    """A person's name in the page's language (the Cyrillic form recorded for be/ru).

    Uses the name a view attached (``attach_display_names``, one query per page), else looks
    up the names the signed-in user may view for this one person.
    """
    if person is None:
        return ""
    if not isinstance(person, Person):
        return str(person)
    if not hasattr(person, "shown_name"):
        request = context.get("request")
        user = getattr(request, "user", None)
        if user is None or not getattr(user, "is_authenticated", False):
            return str(person)
        attach_display_names(user, [person])
    return str(getattr(person, "shown_name", "") or person)


@register.filter
def person_url(pk: Any) -> str:
    """``{% url 'web:person' pk %}``, for the up to a hundred person links of one page: the
    address around the id is resolved once per script prefix and URL configuration, not for
    each link (``reverse`` matched the URL patterns again for every one: ~5% of a profile's
    CPU). Anything but a UUID goes through ``reverse`` as before."""
    if not isinstance(pk, uuid.UUID):
        return reverse("web:person", args=[pk])
    before, after = _person_url_around(get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    return f"{before}{pk}{after}"


_SAMPLE_ID = uuid.UUID(int=0)


@functools.lru_cache(maxsize=16)
def _person_url_around(prefix: str, urlconf: Any, root: Any) -> tuple[str, str]:
    """The person page's address before and after the id, under this script prefix and URL
    configuration (the arguments are the cache's key: ``reverse`` reads them itself)."""
    url = reverse("web:person", args=[_SAMPLE_ID])
    before, found, after = url.partition(str(_SAMPLE_ID))
    if not found:  # an address that does not hold the id as written: no shortcut
        raise ValueError(f"The person page's address does not hold its id: {url}")
    return before, after


@register.filter
def language_label(code: str | None) -> str:
    """A name's language as a word in the page's language ("be" → "Belarusian")."""
    return _language_label(code)


@register.filter
def role_label(value: str | None) -> str:
    """A participant's role as stated or confirmed, labelled ("judge" → "Judge")."""
    return _role_label(value)


@register.filter
def scheme_label(scheme: str | None) -> str:
    """An external identifier's scheme by name ("viasna-url" → "Viasna page")."""
    return _scheme_label(scheme)


@register.filter
def amount(value: Decimal | int | None) -> str:
    """A money or base-unit amount without needless decimals: :func:`vigil.records.quantities.
    amount`."""
    return quantities.amount(value)


@register.filter
def web_url(value: str | None) -> str:
    """The value when it is an http(s) address safe to link to, else blank."""
    if not value:
        return ""
    parts = urlsplit(value.strip())
    if parts.scheme in {"http", "https"} and parts.netloc:
        return value.strip()
    return ""


# The badges are built here, not by inclusion templates: a list page draws two per row, and a
# template each (a new context, a render) cost more than the rest of the row.
_CUSTODY_LABELS = {
    Custody.IN_CUSTODY.value: gettext_lazy("In custody"),
    Custody.RESTRICTED.value: gettext_lazy("Restricted liberty"),
    Custody.NOT_IN_CUSTODY.value: gettext_lazy("Not in custody"),
    Custody.DIED_IN_CUSTODY.value: gettext_lazy("Died in custody"),
}


@register.simple_tag
def custody_badge(state: CustodyState | None) -> SafeString:
    """The custody badge: in custody, restricted liberty, not in custody, unknown."""
    return custody_badge_in(state, get_language())


def custody_badge_in(state: CustodyState | None, language: str | None) -> SafeString:
    """:func:`custody_badge` in ``language``, the active language the caller read (once for
    many badges)."""
    if state is None:
        return _custody_badge(Custody.UNKNOWN.value, None, None, language)
    return _custody_badge(state.status.value, state.since, state.term_ends, language)


@functools.lru_cache(maxsize=4096)
def _custody_badge(
    status: str, since: dt.date | None, term_ends: dt.date | None, language: str | None
) -> SafeString:
    # A status, two dates and the language decide the badge: a list page draws 25, and the
    # same persons' badges again on the next request.
    expired = status == Custody.TERM_ENDED.value
    label = _CUSTODY_LABELS.get(status) or gettext("Custody unknown")
    detail = ""
    if since and status != Custody.UNKNOWN.value and not expired:
        since_text = gettext("since %(date)s") % {"date": day(since)}
        detail = format_html(' <span class="badge__detail">{}</span>', since_text)
    badge = format_html(
        '<span class="badge badge--custody badge--{}">{}{}</span>', status, label, detail
    )
    if expired:
        ended = gettext("term ended %(date)s, release not recorded") % {"date": day(term_ends)}
        badge += format_html(' <span class="badge badge--warning">{}</span>', ended)
    # The newline the inclusion template ended with: the same HTML as before, byte for byte.
    return format_html("{}\n", badge)


@register.simple_tag
def record_badges(record: Any, quiet: bool = False) -> SafeString:
    """Badges for a record's confidentiality level and for synthetic (fictional) data.

    ``quiet`` leaves out the default level (internal) on records nested in a page.
    """
    return record_badges_in(record, get_language(), quiet)


def record_badges_in(record: Any, language: str | None, quiet: bool = False) -> SafeString:
    """:func:`record_badges` in ``language``, the active language the caller read (once for
    many records)."""
    level = getattr(record, "confidentiality", "")
    if quiet and level == Confidentiality.INTERNAL:
        level = ""
    return _record_badges(bool(getattr(record, "is_synthetic", False)), level, language)


@functools.lru_cache(maxsize=64)
def _record_badges(synthetic: bool, level: str, language: str | None) -> SafeString:
    # Two inputs with a handful of values each, per language: drawn once per process.
    synthetic_badge = (
        format_html(
            '<span class="badge badge--synthetic" title="{}">{}</span> ',
            gettext("Fictional demo record"),
            gettext("Synthetic"),
        )
        if synthetic
        else ""
    )
    level_badge = (
        format_html(
            '<span class="badge badge--level badge--level-{}"><span class="visually-hidden">'
            "{} </span>{}</span>",
            level,
            gettext("Confidentiality:"),
            Confidentiality(level).label if level in Confidentiality.values else level,
        )
        if level
        else ""
    )
    return format_html("{}{}\n", synthetic_badge, level_badge)
