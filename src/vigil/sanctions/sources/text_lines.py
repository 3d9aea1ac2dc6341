"""Line-by-line file decoding and strict CSV rows with their physical line numbers."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from functools import partial
from operator import methodcaller
from pathlib import Path
from typing import NamedTuple

from vigil.core.validation import MAX_FIELD, MAX_LINE, is_field_limit_error
from vigil.sanctions.sources.records import ListFormatError


class CsvRow(NamedTuple):
    """One CSV record, the physical lines it spans, or the error that broke it.

    A named tuple, not a dataclass: a list file yields one per row, and a tuple is the
    cheapest record Python builds.
    """

    first_line: int
    last_line: int
    cells: list[str]
    error: str | None = None


# CsvRow(first, last, cells) without the Python-level __new__ of a named tuple (every row).
_row = partial(tuple.__new__, CsvRow)


def decoded_lines(path: Path, *, fallback: str | None = None) -> Iterator[str]:
    """Lines of a file (endings kept) as text: UTF-8, else `fallback`, else ListFormatError."""
    with Path(path).open("rb") as handle:
        number = 0
        # Bounded reads: a line of gigabytes is refused, not loaded (4 bytes per character).
        while raw := handle.readline(4 * MAX_LINE + 1):
            number += 1
            if len(raw) > 4 * MAX_LINE:
                raise ListFormatError(number, f"a line longer than {4 * MAX_LINE:,} bytes")
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as error:
                if fallback is None:
                    raise ListFormatError(number, f"not UTF-8 text ({error.reason})") from None
                # Older OFAC files are Windows-1252; a per-line fallback keeps reading flat.
                yield raw.decode(fallback, errors="replace")


def csv_rows(lines: Iterator[str]) -> Iterator[CsvRow]:
    """Strict CSV records; a broken row is reported with its lines and reading goes on."""
    reader = csv.reader(map(_without_nul, lines), strict=True)
    limit = csv.field_size_limit
    while True:
        first = reader.line_num + 1
        # The field limit is the process's and other libraries change it (followthemoney sets
        # 30 MB on import): ours is in force while a row is read, the previous one put back.
        broken: csv.Error | None = None
        previous = limit(MAX_FIELD)
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            broken, cells = error, []
        finally:
            limit(previous)
        if broken is None:
            yield _row((first, reader.line_num, cells, None))
            continue
        if is_field_limit_error(broken):
            reason = f"a field longer than {MAX_FIELD:,} characters"
            if reader.line_num < first:
                raise ListFormatError(first, reason) from None
            yield CsvRow(first, reader.line_num, [], reason)
            continue
        if "unexpected end of data" in str(broken):
            raise ListFormatError(
                first, f"the file ends inside a quoted field opened on line {first}"
            ) from None
        if reader.line_num < first:
            raise ListFormatError(first, f"unreadable CSV: {broken}") from None
        yield CsvRow(first, reader.line_num, [], f"broken CSV quoting: {broken}")


# A line with NUL characters replaced, so the csv module reports structure, not bytes (a C
# call per line: no Python frame between the file and the csv module).
_without_nul = methodcaller("replace", "\x00", "\ufffd")


def split_cell(value: str) -> list[str]:
    """The values of a `;`-separated multi-valued cell (quoted values may hold `;`)."""
    if not value.strip():
        return []
    if '"' not in value and "\n" not in value and "\r" not in value:
        # Nothing quoted and one line: the csv module would split exactly here.
        return [v.strip() for v in value.split(";") if v.strip()]
    try:
        row = next(csv.reader([value], delimiter=";", skipinitialspace=True, strict=True))
    except csv.Error:
        row = value.split(";")
    return [v.strip() for v in row if v.strip()]
