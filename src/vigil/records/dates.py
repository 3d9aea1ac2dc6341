"""Dates as people read them, in the page's (or a document's) language: the one formatter.

Every surface that shows a date calls these functions: web pages through the ``vigil_format``
template filters, the drafts and dossiers directly. English reads "17 June 2022"; Belarusian
and Russian add the year abbreviation a native reader expects ("17 чэрвеня 2022 г.",
"17 июня 2022 г."). Stored uncertain dates are ``(date, precision, end)``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from babel.dates import format_date as _babel_format_date
from django.db.models import OrderBy
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext

from vigil.core.dates import Precision, UncertainDate

__all__ = [
    "date_ordering",
    "date_sort_key",
    "display_date",
    "format_day",
    "format_day_time",
    "format_span",
    "one_stop",
]

_LOCALES = ("en", "ru", "be")
# CLDR patterns: "d MMMM" takes the genitive month ("4 жніўня 2011"), "LLLL" the nominative
# ("жнівень 2011"). Belarusian and Russian close a full date with "г." (CLDR's long format);
# a bare year stays bare, as in tables and ranges of years.
_PATTERNS = {
    "en": {Precision.DAY: "d MMMM y", Precision.MONTH: "LLLL y", Precision.YEAR: "y"},
    "ru": {Precision.DAY: "d MMMM y 'г'.", Precision.MONTH: "LLLL y 'г'.", Precision.YEAR: "y"},
    "be": {Precision.DAY: "d MMMM y 'г'.", Precision.MONTH: "LLLL y 'г'.", Precision.YEAR: "y"},
}
# The same without the closing abbreviation: the first end of a range ("4 августа 2011 –
# 5 мая 2012 г.").
_OPEN = {Precision.DAY: "d MMMM y", Precision.MONTH: "LLLL y", Precision.YEAR: "y"}
# Short dates in tables: unambiguous in English ("17 Jun 2022", never 6/17/22), numeric in
# Belarusian and Russian as they write them ("17.06.2022").
_SHORT = {"en": "d MMM y", "ru": "dd.MM.y", "be": "dd.MM.y"}
# A sentence ending in "г." takes no second full stop ("… 2022 г.", never "… 2022 г..").
_DOUBLE_STOP = re.compile(r"(?<=[^\W\d_])\.\.(?!\.)")


@functools.lru_cache(maxsize=4096)
def format_date(day: dt.date, pattern: str, locale: str) -> str:
    """Babel's ``format_date``, kept per (day, pattern, locale): a list page formats the same
    few days again and again, and Babel parses the pattern and reads the locale each time."""
    return _babel_format_date(day, pattern, locale=locale)


def _locale(language: str | None = None) -> str:
    """The CLDR locale of ``language`` (default: the active one); English when unsupported."""
    primary = (language or get_language() or "en").replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in _LOCALES else "en"


def _as_day(value: dt.date | dt.datetime) -> dt.date:
    """The calendar day of ``value``; an aware datetime is read in the current time zone."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def format_day(
    value: dt.date | dt.datetime | None, language: str | None = None, *, short: bool = False
) -> str:
    """One day in ``language`` (default: the active one): "17 June 2022", "17 июня 2022 г.".

    ``short`` gives the table form: "17 Jun 2022", "17.06.2022". None gives "".
    """
    if value is None:
        return ""
    locale = _locale(language)
    pattern = _SHORT[locale] if short else _PATTERNS[locale][Precision.DAY]
    return format_date(_as_day(value), pattern, locale=locale)


def format_day_time(
    value: dt.datetime | None,
    language: str | None = None,
    *,
    short: bool = False,
    seconds: bool = False,
) -> str:
    """A moment in ``language`` (default: the active one): its day as :func:`format_day` writes
    it, then the 24-hour time in the current time zone: "17 June 2022, 14:05",
    "17 чэрвеня 2022 г., 14:05"; ``short``: "17 Jun 2022, 14:05", "17.06.2022, 14:05";
    ``seconds`` adds them ("14:05:09"). None gives "".
    """
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    clock = value.strftime("%H:%M:%S" if seconds else "%H:%M")
    return f"{format_day(value, language, short=short)}, {clock}"


def format_span(
    first: dt.date | dt.datetime | None,
    last: dt.date | dt.datetime | None,
    language: str | None = None,
) -> str:
    """Two days as a range ("17 June 2022 – 20 July 2023"); one day when both are the same."""
    if first is None or last is None:
        return format_day(first or last, language)
    start, end = _as_day(first), _as_day(last)
    if start == end:
        return format_day(start, language)
    locale = _locale(language)
    opening = format_date(start, _OPEN[Precision.DAY], locale=locale)
    return f"{opening} – {format_day(end, language)}"


def _human(day: dt.date, precision: Precision, locale: str, *, closing: bool = True) -> str:
    """One date cut to ``precision``; ``closing=False`` leaves out the "г." of a range's start."""
    if precision is Precision.DECADE:
        with translation.override(locale):
            return gettext("%(year)ss") % {"year": day.year}
    patterns = _PATTERNS[locale] if closing else _OPEN
    return format_date(day, patterns.get(precision, patterns[Precision.DAY]), locale=locale)


def display_date(
    date: dt.date | None,
    precision: str,
    end: dt.date | None = None,
    language: str | None = None,
) -> str:
    """A stored uncertain date in ``language`` (default: the active one).

    "4 August 2011", "август 2011 г.", "2011", "2010-я", "unknown", a range "2019 – 2020",
    and "before 24 November 2011" when only the latest possible day is known.
    """
    locale = _locale(language)
    if date is not None and precision != Precision.DECADE:
        # Babel formats in ``locale`` itself: no translation is read, none is switched to.
        value = UncertainDate(date, Precision(precision), end)
        if value.start is not None and value.precision is not Precision.DECADE:
            if value.end is None:
                return _human(value.start, value.precision, locale)
            last = UncertainDate(value.end, value.precision).start or value.end
            opening = _human(value.start, value.precision, locale, closing=False)
            return f"{opening} – {_human(last, value.precision, locale)}"
    with translation.override(locale):
        if date is None:
            if end is None:
                return gettext("unknown")
            return gettext("before %(date)s") % {"date": format_day(end, locale)}
        value = UncertainDate(date, Precision(precision), end)
        if value.start is None:
            return gettext("unknown")
        if value.end is None:
            return _human(value.start, value.precision, locale)
        last = UncertainDate(value.end, value.precision).start or value.end
        opening = _human(value.start, value.precision, locale, closing=False)
        return f"{opening} – {_human(last, value.precision, locale)}"


def date_sort_key(date: dt.date | None, end: dt.date | None = None) -> tuple[int, dt.date]:
    """Order dated things by their date; "before X" by X; undated ones after every dated one."""
    if date is not None:
        return (0, date)
    if end is not None:
        return (0, end)
    return (1, dt.date.max)


def date_ordering(prefix: str = "") -> OrderBy:
    """The SQL twin of :func:`date_sort_key` for an ``order_by``: undated last on every backend.

    ``prefix`` reaches the date through a relation ("act__").
    """
    return Coalesce(f"{prefix}date", f"{prefix}date_end").asc(nulls_last=True)


def one_stop(text: str) -> str:
    """``text`` with a doubled full stop after a word ("2022 г..") made one, as typography asks."""
    return _DOUBLE_STOP.sub(".", text)
