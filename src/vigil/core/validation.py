"""The checks every importer applies to what it reads: one place, one set of rules.

Used by the Viasna and UPR importers (through :mod:`vigil.importers.rows`) and by the
sanctions-list readers (:mod:`vigil.sanctions.sources`). Pure Python, no Django. A check that
fails raises :class:`InputRefused` (a ``ValueError``) whose message starts with the column, so
the importer reports it with the line: control characters and NUL, blank or over-long names,
dates before 1900 or far in the future, sentences above 100 years, links that are not http(s),
and fields or lines so long that reading them would only fill memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TextIO
from urllib.parse import urlsplit

# Characters: C0/C1 controls (NUL included) and the bidirectional overrides that can make a
# name display as another. Tab, newline and carriage return are allowed in free text only.
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_TEXT_WHITESPACE = "\t\n\r"

# Sizes, in characters.
MAX_NAME = 500
MAX_URL = 2_048
MAX_CELL = 5_000
MAX_TEXT = 50_000
# No field is read beyond this (the csv module's own limit, set for each row read), and no
# physical line beyond MAX_LINE: a 10 MB name is refused with its line, not loaded.
MAX_FIELD = 100_000
MAX_LINE = 1_000_000

# Dates and terms.
EARLIEST_YEAR = 1900
MAX_BIRTH_AHEAD = dt.timedelta(days=366)
MAX_SENTENCE_YEARS = 100
# An act can be dated ahead (a release at the end of a term), never beyond the longest term.
MAX_EVENT_AHEAD_YEARS = MAX_SENTENCE_YEARS

URL_SCHEMES = ("http", "https")
_ISO_YEAR = re.compile(r"^(\d{4})(?:-\d{2}(?:-\d{2})?)?$")
# Any character str.isspace() calls whitespace (checked over every code point: the same set).
_SPACE = re.compile(r"\s")


class InputRefused(ValueError):
    """A value an importer must not store; the message names the column and the reason."""


def _describe(char: str) -> str:
    name = unicodedata.name(char, "") or "control character"
    return f"U+{ord(char):04X} {name}".strip()


# Unicode category Cc is exactly U+0000-U+001F and U+007F-U+009F; with the bidi controls.
_CONTROL = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{_BIDI_CONTROLS}]")
_CONTROL_IN_TEXT = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{_BIDI_CONTROLS}]")


def refuse_control_characters(value: str, column: str, *, multiline: bool = False) -> None:
    """Refuse NUL, other control characters and bidi overrides (tab/newlines in free text)."""
    if (_CONTROL_IN_TEXT if multiline else _CONTROL).search(value) is None:
        return
    for char in value:
        if multiline and char in _TEXT_WHITESPACE:
            continue
        if unicodedata.category(char) == "Cc" or char in _BIDI_CONTROLS:
            raise InputRefused(f"{column}: contains a control character ({_describe(char)})")


def refuse_too_long(value: str, column: str, limit: int) -> None:
    if len(value) > limit:
        raise InputRefused(f"{column}: {len(value):,} characters, more than the {limit:,} allowed")


def check_name(value: str, column: str, *, limit: int = MAX_NAME) -> str:
    """A person's or organisation's name: not blank, no control characters, not over-long."""
    refuse_too_long(value, column, limit)
    refuse_control_characters(value, column)
    name = " ".join(value.split())
    if not name:
        raise InputRefused(f"{column}: blank (a name is required)")
    return name


def are_checked_names(values: Sequence[str], *, limit: int = MAX_NAME) -> bool:
    """Whether :func:`check_name` accepts every one of ``values`` and returns it as it is.

    One pass over them all, for readers that check many names and call ``check_name`` only
    on the misfits: joined with `` | ``, the text has single spaces only if every value is
    non-blank and has single spaces (a lone blank value joins to nothing: refused too), and
    control characters only if one value has.
    """
    if not values:
        return True
    joined = " | ".join(values)
    if joined == "" or max(map(len, values)) > limit or _CONTROL.search(joined) is not None:
        return False
    if joined.isascii():
        # Without control characters the space is ASCII's only whitespace: single spaces
        # only if none is doubled, leading or trailing (what the split below finds, cheaper).
        return "  " not in joined and joined[0] != " " and joined[-1] != " "
    return " ".join(joined.split()) == joined


def check_text(value: str, column: str, *, limit: int = MAX_CELL, multiline: bool = False) -> str:
    """Any other text cell: within its size limit, without control characters."""
    refuse_too_long(value, column, limit)
    refuse_control_characters(value, column, multiline=multiline)
    return value


def check_cells(
    row: dict[str, str], *, limits: dict[str, int] | None = None, multiline: tuple[str, ...] = ()
) -> None:
    """Every cell of a row within its column's size limit and free of control characters."""
    limits = limits or {}
    if _plain_cells(row, limits, multiline):
        return
    # Something to refuse: the cells one by one, for the first column at fault and its reason.
    for column, value in row.items():
        check_text(
            value, column, limit=limits.get(column, MAX_CELL), multiline=column in multiline
        )


def _plain_cells(row: dict[str, str], limits: dict[str, int], multiline: tuple[str, ...]) -> bool:
    """Whether :func:`check_cells` has nothing to refuse, found in one pass: no cell longer
    than the smallest limit and no control character in the cells joined by spaces (free
    text apart, where tab and newlines are allowed). False means "look cell by cell"."""
    cells = row.values()
    if not cells:
        return True
    if max(map(len, cells)) > min((MAX_CELL, *limits.values())):
        return False
    if not multiline:
        return _CONTROL.search(" ".join(cells)) is None
    single = [v for c, v in row.items() if c not in multiline]
    free = [v for c, v in row.items() if c in multiline]
    return _CONTROL.search(" ".join(single)) is None and (
        _CONTROL_IN_TEXT.search(" ".join(free)) is None
    )


def check_url(value: str, column: str) -> str:
    """An empty cell, or an absolute http(s) link (never ``javascript:``, ``file:``, ...)."""
    text = value.strip()
    if not text:
        return ""
    refuse_too_long(text, column, MAX_URL)
    refuse_control_characters(text, column)
    if _SPACE.search(text):
        raise InputRefused(f"{column}: {text[:80]!r} is not a link (it contains spaces)")
    try:
        parts = urlsplit(text)
    except ValueError:
        raise InputRefused(f"{column}: {text[:80]!r} is not a link") from None
    if parts.scheme.lower() not in URL_SCHEMES or not parts.netloc:
        raise InputRefused(
            f"{column}: {text[:80]!r} is not an http(s) link; only http:// and https:// "
            "sources are accepted"
        )
    return text


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def check_birth_date(value: dt.date, column: str, *, today: dt.date | None = None) -> dt.date:
    """A birth date from 1900 to a year from today."""
    latest = _today(today) + MAX_BIRTH_AHEAD
    if value.year < EARLIEST_YEAR or value > latest:
        raise InputRefused(
            f"{column}: {value.isoformat()} is not a plausible birth date "
            f"(accepted: {EARLIEST_YEAR}-01-01 to {latest.isoformat()})"
        )
    return value


def check_event_date(value: dt.date, column: str, *, today: dt.date | None = None) -> dt.date:
    """The date of an act: from 1900 to at most the longest sentence ahead of today."""
    now = _today(today)
    latest_year = now.year + MAX_EVENT_AHEAD_YEARS
    if value.year < EARLIEST_YEAR or value.year > latest_year:
        raise InputRefused(
            f"{column}: {value.isoformat()} is not a plausible date "
            f"(accepted: years {EARLIEST_YEAR} to {latest_year})"
        )
    return value


def check_iso_birth_date(text: str, column: str, *, today: dt.date | None = None) -> str:
    """A reduced-precision ISO birth date (``1964``, ``1964-11``, ``1964-11-15``) in range."""
    match = _ISO_YEAR.match(text)
    if match is None:
        raise InputRefused(f"{column}: {text!r} is not an ISO date")
    year = int(match.group(1))
    latest = (_today(today) + MAX_BIRTH_AHEAD).year
    if year < EARLIEST_YEAR or year > latest:
        raise InputRefused(
            f"{column}: {text} is not a plausible birth date "
            f"(accepted: years {EARLIEST_YEAR} to {latest})"
        )
    return text


def check_sentence_months(months: Any, column: str) -> None:
    """A term of at most 100 years (a life sentence is not written as a number of years)."""
    if months is not None and months > MAX_SENTENCE_YEARS * 12:
        years = months / 12
        raise InputRefused(
            f"{column}: a term of {years:,.0f} years is not plausible "
            f"(more than {MAX_SENTENCE_YEARS} years)"
        )


def refuse_duplicate_columns(header: list[str]) -> None:
    """A header that names a column twice (the csv module would keep only the last value)."""
    seen: set[str] = set()
    repeated: list[str] = []
    for h in header:
        if h in seen:
            repeated.append(h)
        seen.add(h)
    if repeated:
        names = ", ".join(repr(h) for h in dict.fromkeys(repeated))
        raise InputRefused(f"the header names the column(s) {names} more than once")


def bounded_lines(handle: TextIO, *, limit: int = MAX_LINE) -> Iterator[str]:
    """The lines of a text file, refusing (without reading it whole) a line over ``limit``."""
    number = 0
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit:
            raise LineTooLong(number, limit)
        yield line


class LineTooLong(InputRefused):
    """A physical line longer than the reader accepts."""

    def __init__(self, line: int, limit: int) -> None:
        super().__init__(f"line {line} is longer than {limit:,} characters")
        self.line = line
        self.limit = limit


@contextmanager
def field_size_limit(limit: int = MAX_FIELD) -> Iterator[None]:
    """The csv module's field limit set to ``limit`` while reading, then put back.

    The limit is global to the process and other libraries change it (followthemoney sets
    30 MB on import), so a reader sets its own around each row it reads.
    """
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def next_row(reader: Any, *, limit: int = MAX_FIELD) -> list[str]:
    """``next(reader)`` with the field limit in force (StopIteration at the end)."""
    with field_size_limit(limit):
        return next(reader)


def is_field_limit_error(error: csv.Error) -> bool:
    """Whether a csv error is the field-size limit, not broken quoting."""
    return "field larger than field limit" in str(error)
