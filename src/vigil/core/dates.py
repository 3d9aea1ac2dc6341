"""Uncertain dates: a date known to the day, month, year or decade, or not at all."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Literal

from babel.dates import get_month_names

__all__ = ["Precision", "UncertainDate"]

# Month names come from CLDR: "format" gives the genitive ("4 августа"), "stand-alone" the
# nominative ("жнівень 2011"); both occur in documenters' text.
_MONTH_LOCALES = ("en", "ru", "be")
_MONTH_CONTEXTS: tuple[Literal["format", "stand-alone"], ...] = ("format", "stand-alone")
_MONTH_WIDTHS: tuple[Literal["wide", "abbreviated"], ...] = ("wide", "abbreviated")
_YEAR_WORDS = r"(?:\s*(?:г\.?|года|году|год|гада|годзе))?"

_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")
_YEAR = re.compile(r"(\d{4})" + _YEAR_WORDS)
_DECADE = re.compile(r"(\d{3})(?:0s|0'?s|0-?е|0-?х|0-?я|0-?ыя|0-?ых|X)", re.IGNORECASE)
_DOTTED_DAY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})" + _YEAR_WORDS)
_DOTTED_MONTH = re.compile(r"(\d{1,2})\.(\d{4})" + _YEAR_WORDS)
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\s+([^\W\d_]+\.?)\s+(\d{4})" + _YEAR_WORDS)
_MONTH_DAY_YEAR = re.compile(r"([^\W\d_]+\.?)\s+(\d{1,2}),?\s+(\d{4})")
_MONTH_YEAR = re.compile(r"([^\W\d_]+\.?)\s+(\d{4})" + _YEAR_WORDS)
_UNKNOWN = re.compile(r"XXXX|unknown|неизвестно|невядома", re.IGNORECASE)
_RANGE_SEPARATOR = "/"


class Precision(StrEnum):
    """How much of a date is known."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    DECADE = "decade"
    UNKNOWN = "unknown"


@cache
def _month_numbers() -> dict[str, int]:
    """Map every known month name and abbreviation (casefolded, no dot) to its number."""
    numbers: dict[str, int] = {}
    for locale in _MONTH_LOCALES:
        for context in _MONTH_CONTEXTS:
            for width in _MONTH_WIDTHS:
                for number, name in get_month_names(width, context=context, locale=locale).items():
                    numbers.setdefault(name.casefold().rstrip("."), number)
    return numbers


def _month_number(name: str, text: str) -> int:
    """The number of month `name`, or ValueError naming the whole `text`."""
    number = _month_numbers().get(name.casefold().rstrip("."))
    if number is None:
        raise ValueError(f"cannot read date {text!r}: unknown month name {name!r}")
    return number


@cache
def _english_month_name(month: int) -> str:
    """The English name of a month, independent of the process locale."""
    return str(get_month_names("wide", context="stand-alone", locale="en")[month])


def _last_day_of_month(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True, slots=True)
class UncertainDate:
    """A date with a precision; `start` is the first day covered, `end` an optional range end."""

    start: date | None
    precision: Precision
    end: date | None = None

    def __post_init__(self) -> None:
        """Move `start` to the first day of its period; reject mismatches and backward ranges."""
        object.__setattr__(self, "precision", Precision(self.precision))
        if (self.start is None) != (self.precision is Precision.UNKNOWN):
            raise ValueError(f"date {self.start} does not fit precision {self.precision!r}")
        if self.start is not None:
            # A stored day inside the period ("2011-08-15", month) stands for the whole period.
            object.__setattr__(self, "start", _period_start(self.start, self.precision))
        if self.end is not None and (self.start is None or self.end < self.start):
            raise ValueError(f"range end {self.end} comes before its start {self.start}")

    @classmethod
    def parse(cls, text: str) -> UncertainDate | None:
        """Read a date in ISO, English, Russian or Belarusian form; blank text gives None."""
        cleaned = " ".join(text.split())
        if not cleaned:
            return None
        if _RANGE_SEPARATOR in cleaned:
            return cls._parse_range(cleaned, text)
        return _parse_single(cleaned, text)

    @classmethod
    def _parse_range(cls, cleaned: str, text: str) -> UncertainDate:
        """Read "START/END" (ISO 8601 interval style): precision of the start, end's last day."""
        first, _, second = cleaned.partition(_RANGE_SEPARATOR)
        start, end = _parse_single(first.strip(), text), _parse_single(second.strip(), text)
        if start.start is None or end.start is None:
            raise ValueError(f"cannot read date {text!r}: a range needs two known ends")
        end_day = end.latest()
        if end_day is None or end_day < start.start:
            raise ValueError(f"cannot read date {text!r}: the range ends before it starts")
        return cls(start.start, start.precision, end_day)

    def earliest(self) -> date | None:
        """The first day the date may be."""
        return self.start

    def latest(self) -> date | None:
        """The last day the date may be."""
        if self.end is not None:
            return self.end
        return _period_end(self.start, self.precision)

    def sort_key(self) -> tuple[date, date]:
        """Order by earliest, then latest day; unknown dates sort last."""
        return (self.earliest() or date.max, self.latest() or date.max)

    def to_iso(self) -> str:
        """ISO 8601 with reduced precision ("2011-08"); decades as "199X", unknown as "XXXX"."""
        single = _format_iso(self.start, self.precision)
        if self.end is None:
            return single
        end_start = _period_start(self.end, self.precision)
        return f"{single}{_RANGE_SEPARATOR}{_format_iso(end_start, self.precision)}"

    def __str__(self) -> str:
        """A human form: "4 August 2011", "August 2011", "2011", "1990s" or "unknown date"."""
        single = _format_human(self.start, self.precision)
        if self.end is None:
            return single
        return (
            f"{single} – {_format_human(_period_start(self.end, self.precision), self.precision)}"
        )


def _parse_single(cleaned: str, text: str) -> UncertainDate:
    """Read one date (no range) from whitespace-normalised `cleaned`; errors name `text`."""
    try:
        return _match_single(cleaned, text)
    except ValueError as error:
        if repr(text) in str(error):
            raise
        raise ValueError(f"cannot read date {text!r}: {error}") from error


def _match_single(cleaned: str, text: str) -> UncertainDate:
    """Try each accepted form in turn."""
    if match := _ISO_DAY.fullmatch(cleaned):
        year, month, day = map(int, match.groups())
        return UncertainDate(date(year, month, day), Precision.DAY)
    if match := _DOTTED_DAY.fullmatch(cleaned):
        day, month, year = map(int, match.groups())
        return UncertainDate(date(year, month, day), Precision.DAY)
    if match := _DAY_MONTH_YEAR.fullmatch(cleaned):
        month = _month_number(match[2], text)
        return UncertainDate(date(int(match[3]), month, int(match[1])), Precision.DAY)
    if match := _MONTH_DAY_YEAR.fullmatch(cleaned):
        month = _month_number(match[1], text)
        return UncertainDate(date(int(match[3]), month, int(match[2])), Precision.DAY)
    if match := _ISO_MONTH.fullmatch(cleaned):
        return UncertainDate(date(int(match[1]), int(match[2]), 1), Precision.MONTH)
    if match := _DOTTED_MONTH.fullmatch(cleaned):
        return UncertainDate(date(int(match[2]), int(match[1]), 1), Precision.MONTH)
    if match := _MONTH_YEAR.fullmatch(cleaned):
        month = _month_number(match[1], text)
        return UncertainDate(date(int(match[2]), month, 1), Precision.MONTH)
    if match := _YEAR.fullmatch(cleaned):
        return UncertainDate(date(int(match[1]), 1, 1), Precision.YEAR)
    if match := _DECADE.fullmatch(cleaned):
        return UncertainDate(date(int(match[1]) * 10, 1, 1), Precision.DECADE)
    if _UNKNOWN.fullmatch(cleaned):
        return UncertainDate(None, Precision.UNKNOWN)
    raise ValueError(
        f"cannot read date {text!r}: expected a form such as 2011-08-04, 2011-08, 2011, 1990s, "
        "4 August 2011, August 2011, 24.11.2011 or 4 августа 2011"
    )


def _period_start(day: date, precision: Precision) -> date:
    """The first day of the period of `precision` that contains `day`."""
    match precision:
        case Precision.DAY | Precision.UNKNOWN:
            return day
        case Precision.MONTH:
            return day.replace(day=1)
        case Precision.YEAR:
            return day.replace(month=1, day=1)
        case Precision.DECADE:
            return date(day.year - day.year % 10, 1, 1)


def _period_end(start: date | None, precision: Precision) -> date | None:
    """The last day of the period of `precision` opened by `start`."""
    if start is None:
        return None
    match precision:
        case Precision.DAY | Precision.UNKNOWN:
            return start
        case Precision.MONTH:
            return _last_day_of_month(start.year, start.month)
        case Precision.YEAR:
            return date(start.year, 12, 31)
        case Precision.DECADE:
            return date(min(start.year + 9, date.max.year), 12, 31)


def _format_iso(start: date | None, precision: Precision) -> str:
    """ISO 8601 text of `start` cut to `precision`."""
    if start is None:
        return "XXXX"
    match precision:
        case Precision.DAY:
            return start.isoformat()
        case Precision.MONTH:
            return f"{start.year:04d}-{start.month:02d}"
        case Precision.YEAR:
            return f"{start.year:04d}"
        case _:
            return f"{start.year // 10:03d}X"


def _format_human(start: date | None, precision: Precision) -> str:
    """English human text of `start` cut to `precision`."""
    if start is None:
        return "unknown date"
    match precision:
        case Precision.DAY:
            return f"{start.day} {_english_month_name(start.month)} {start.year}"
        case Precision.MONTH:
            return f"{_english_month_name(start.month)} {start.year}"
        case Precision.YEAR:
            return str(start.year)
        case _:
            return f"{start.year}s"
