"""Dates as the lists print them, turned into ISO strings of reduced precision."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from functools import lru_cache

import prefixdate

EU_FORMATS = (
    "%d.%m.%Y",
    "%d.%m %Y",
    "%Y",
    "%Y-%m-%d",
    "%Y-%m",
    "%d %B %Y",
    "%d %b. %Y",
    "%d %b %Y",
    "%B %Y",
)
OFAC_FORMATS = ("%d %b %Y", "%b %Y", "%Y")
UN_FORMATS = ("%Y-%m-%d", "%Y-%m", "%Y", "%d %b. %Y", "%d %b %Y", "%b. %Y", "%b %Y")

# Ranges wider than this are kept as their two ends, not spelled out year by year.
MAX_YEAR_SPAN = 10

_ALTERNATIVES = re.compile(r"\s*(?:/|,|;|\bor\b)\s*")
_YEAR = re.compile(r"^\d{4}$")

# OFAC's three formats read without strptime: `15 Nov 1964`, `Nov 1964`, `1964`, in ASCII
# digits and English month abbreviations (any case, as strptime reads them in the C locale).
_OFAC_DATE = re.compile(r"(?:(?:([0-9]{1,2}) )?([A-Za-z]{3}) )?([0-9]{4})")
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}


def parse_date(text: str, formats: Sequence[str]) -> str | None:
    """One printed date as ISO (`1968`, `1968-05`, `1968-05-07`), or None if unreadable."""
    cleaned = " ".join(text.split()).strip(" .")
    if not cleaned:
        return None
    if formats == OFAC_FORMATS:
        quick = _ofac_date(cleaned)
        if quick is not None:
            return quick
    return _parse_formats(cleaned, tuple(formats))


@lru_cache(maxsize=4096)
def _parse_formats(cleaned: str, formats: tuple[str, ...]) -> str | None:
    """``prefixdate`` (strptime, format by format); lists repeat their dates, so remembered."""
    return prefixdate.parse_formats(cleaned, formats).text


def _ofac_date(cleaned: str) -> str | None:
    """`cleaned` read as OFAC_FORMATS would read it, or None to leave it to them.

    Only a date the formats certainly read the same way is answered here: ASCII digits, a
    known month abbreviation, a day the month has; anything else (`31 Feb 1964`, `0000`,
    `Sept 1964`) goes to strptime, which decides as before.
    """
    match = _OFAC_DATE.fullmatch(cleaned)
    if match is None:
        return None
    day, month_name, year_text = match.groups()
    year = int(year_text)
    if year < 1:
        return None
    if month_name is None:
        return year_text
    month = _MONTHS.get(month_name.lower())
    if month is None:
        return None
    if day is None:
        return f"{year_text}-{month:02d}"
    try:
        dt.date(year, month, int(day))
    except ValueError:
        return None
    return f"{year_text}-{month:02d}-{int(day):02d}"


def parse_alternatives(text: str, formats: Sequence[str]) -> tuple[list[str], list[str]]:
    """Dates from a cell such as `21.11.1964 / 1965` or `1979, 1980 or 1981`; and the misfits."""
    whole = parse_date(text, formats)
    if whole:
        return [whole], []
    dates: list[str] = []
    unread: list[str] = []
    for piece in _ALTERNATIVES.split(text):
        if not piece.strip():
            continue
        parsed = parse_date(piece, formats)
        if parsed:
            dates.append(parsed)
        else:
            unread.append(piece.strip())
    return dates, unread


def year_range(start: str, end: str) -> list[str]:
    """The two ends of a range and, for short year ranges, every year between them."""
    if _YEAR.match(start[:4]) and _YEAR.match(end[:4]):
        first, last = int(start[:4]), int(end[:4])
        if 0 < last - first <= MAX_YEAR_SPAN:
            middle = [str(year) for year in range(first + 1, last)]
            return [start, *middle, end]
    return [start, end] if start != end else [start]
