"""Reading tabular files row by row with line numbers and clear errors."""

from __future__ import annotations

import csv
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vigil.core.errors import ImportFailed
from vigil.core.validation import (
    MAX_FIELD,
    InputRefused,
    LineTooLong,
    bounded_lines,
    is_field_limit_error,
    next_row,
    refuse_duplicate_columns,
)


@dataclass(frozen=True)
class RowProblem:
    """A row that could not be understood: its line in the file and why."""

    line: int
    reason: str


class RowIds:
    """The id of every row read so far and the line it was read on, to tell a repeated row.

    An import remembers every id it read until the file ends. Kept as a dictionary of strings
    that cost about 150 bytes a row (the string, the line's integer, the dictionary's entry):
    30 MB at 200,000 rows, the one part of an import's memory that grew with the file. An id
    written in decimal digits (Viasna's ids; no sign, no leading zero, at most 18 digits) is
    kept instead as a 64-bit integer in an open-addressing table of two arrays, 12 bytes a
    slot (at most ``LOAD`` full): no Python object per row. Any other id (text, a leading zero,
    a line past 2**31) goes to a dictionary, as before. Exact either way: "007" and "7" are
    different ids.
    """

    LOAD = 0.75
    _EMPTY = -1
    _MIX = 0x9E3779B97F4A7C15  # Fibonacci hashing: consecutive ids spread over the table
    _WORD = (1 << 64) - 1

    def __init__(self, bits: int = 10) -> None:
        self._bits = bits
        self._keys = array("q", [self._EMPTY]) * (1 << bits)
        self._lines = array("i", [0]) * (1 << bits)
        self._count = 0
        self._other: dict[str, int] = {}

    def __len__(self) -> int:
        return self._count + len(self._other)

    @property
    def nbytes(self) -> int:
        """The bytes the table of numeric ids holds (the other ids' dictionary apart)."""
        return len(self._keys) * self._keys.itemsize + len(self._lines) * self._lines.itemsize

    @staticmethod
    def _number(rid: str) -> int | None:
        if 0 < len(rid) <= 18 and rid.isascii() and rid.isdigit() and (rid[0] != "0" or rid == "0"):
            return int(rid)
        return None

    def _slot(self, key: int) -> int:
        """The slot holding ``key``, or the empty slot where it would go."""
        keys, mask = self._keys, (1 << self._bits) - 1
        i = ((key * self._MIX) & self._WORD) >> (64 - self._bits)
        while True:
            found = keys[i]
            if found == key or found == self._EMPTY:
                return i
            i = (i + 1) & mask

    def first_line(self, rid: str, line: int) -> int | None:
        """The line ``rid`` was first read on if it was read before; else None, and ``rid``
        is remembered as read on ``line`` (lines only increase)."""
        key = self._number(rid)
        if key is not None:
            i = self._slot(key)
            if self._keys[i] == key:
                return self._lines[i]
            if 0 <= line < 2**31:
                self._keys[i] = key
                self._lines[i] = line
                self._count += 1
                if self._count > self.LOAD * len(self._keys):
                    self._grow()
                return None
        first = self._other.setdefault(rid, line)
        return None if first == line else first

    def _grow(self) -> None:
        keys, lines = self._keys, self._lines
        self._bits += 1
        self._keys = array("q", [self._EMPTY]) * (1 << self._bits)
        self._lines = array("i", [0]) * (1 << self._bits)
        for key, line in zip(keys, lines, strict=True):
            if key != self._EMPTY:
                i = self._slot(key)
                self._keys[i] = key
                self._lines[i] = line


def read_csv_rows(
    path: Path,
    *,
    columns: Sequence[str],
    required: Sequence[str] = (),
    header_out: list[str] | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) from a CSV file whose header must be ``columns``.

    The header may list the columns in any order; an unknown, missing or repeated column, a
    broken quote, a row with the wrong number of fields, a field or line too long to read
    (:mod:`vigil.core.validation`), or bytes that are not UTF-8 raise
    :class:`ImportFailed` naming the line. A column the file does not hold reads as ``""``;
    ``header_out``, when given, receives the columns the file holds (a partial file's
    importer changes only those).
    """
    if not path.is_file():
        raise ImportFailed(f"{path}: no such file")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(bounded_lines(handle), strict=True)
        line = 1
        try:
            header = _next(reader)
            if not header:
                raise ImportFailed(f"{path.name}: the file is empty (no header row)")
            header = [h.strip() for h in header]
            try:
                refuse_duplicate_columns(header)
            except InputRefused as exc:
                raise ImportFailed(
                    f"{path.name}, line 1: {exc}; each column may appear once.",
                    [(1, str(exc))],
                ) from None
            unknown = [h for h in header if h not in columns]
            missing = [c for c in required if c not in header]
            if unknown or missing:
                parts = []
                if unknown:
                    parts.append(f"unknown column(s) {', '.join(map(repr, unknown))}")
                if missing:
                    parts.append(f"missing column(s) {', '.join(map(repr, missing))}")
                raise ImportFailed(
                    f"{path.name}, line 1: {'; '.join(parts)}. "
                    f"Expected the columns: {', '.join(columns)}."
                )
            if header_out is not None:
                header_out[:] = header
            width = len(header)
            line = reader.line_num + 1
            while (fields := _next(reader)) is not None:
                if not any(f.strip() for f in fields):
                    line = reader.line_num + 1
                    continue
                if len(fields) != width:
                    raise _RowWidth(line, len(fields), width)
                row = {c: "" for c in columns}
                row.update(zip(header, fields, strict=True))
                yield line, row
                line = reader.line_num + 1
        except _RowWidth as exc:
            raise ImportFailed(
                f"{path.name}, line {exc.line}: {exc.found} fields where the header has "
                f"{exc.expected} (a stray comma or quote?)",
                [(exc.line, "wrong number of fields")],
            ) from None
        except LineTooLong as exc:
            raise ImportFailed(
                f"{path.name}: {exc}; nothing was read past it", [(exc.line, str(exc))]
            ) from None
        except csv.Error as exc:
            if is_field_limit_error(exc):
                reason = f"a field is longer than {MAX_FIELD:,} characters"
                message = f"{path.name}, line {line}: {reason}"
                raise ImportFailed(message, [(line, reason)]) from None
            raise ImportFailed(
                f"{path.name}, line {line}: the CSV is malformed ({exc}); "
                "check for an unclosed or stray quote",
                [(line, str(exc))],
            ) from None
        except UnicodeDecodeError:
            raise ImportFailed(
                f"{path.name}, after line {line}: the file is not UTF-8 text",
                [(line, "not UTF-8")],
            ) from None


def _next(reader: Any) -> list[str] | None:
    try:
        return next_row(reader)
    except StopIteration:
        return None


class _RowWidth(Exception):
    def __init__(self, line: int, found: int, expected: int) -> None:
        self.line, self.found, self.expected = line, found, expected
