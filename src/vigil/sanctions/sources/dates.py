"""Dates as the lists print them, turned into ISO strings of reduced precision."""

from __future__ import annotations

import re
from collections.abc import Sequence

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


def parse_date(text: str, formats: Sequence[str]) -> str | None:
    """One printed date as ISO (`1968`, `1968-05`, `1968-05-07`), or None if unreadable."""
    cleaned = " ".join(text.split()).strip(" .")
    if not cleaned:
        return None
    return prefixdate.parse_formats(cleaned, formats).text


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
