"""Display and sorting of uncertain dates stored as (date, precision, end)."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from django.utils.translation import get_language, gettext

from vigil.core.dates import Precision, UncertainDate

# CLDR patterns: "d MMMM" takes the genitive month ("4 жніўня 2011"), "LLLL" the nominative
# ("жнівень 2011"); in English both read "4 August 2011" and "August 2011".
_PATTERNS = {Precision.DAY: "d MMMM y", Precision.MONTH: "LLLL y", Precision.YEAR: "y"}
_LOCALES = ("en", "ru", "be")


def _locale() -> str:
    """The CLDR locale of the active language (English when none or unsupported)."""
    primary = (get_language() or "en").split("-", 1)[0].lower()
    return primary if primary in _LOCALES else "en"


def _human(day: dt.date, precision: Precision) -> str:
    """One date cut to ``precision`` in the active language."""
    if precision is Precision.DECADE:
        return gettext("%(year)ss") % {"year": day.year}
    return format_date(day, _PATTERNS.get(precision, "d MMMM y"), locale=_locale())


def display_date(date: dt.date | None, precision: str, end: dt.date | None = None) -> str:
    """A human form of a stored uncertain date in the active language ("March 2021", "2011")."""
    if date is None:
        if end is None:
            return gettext("unknown")
        return gettext("before %(date)s") % {"date": end.isoformat()}
    value = UncertainDate(date, Precision(precision), end)
    if value.start is None:
        return gettext("unknown")
    single = _human(value.start, value.precision)
    if value.end is None:
        return single
    last = UncertainDate(value.end, value.precision).start
    return f"{single} – {_human(last or value.end, value.precision)}"
