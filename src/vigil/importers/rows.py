"""Reading tabular files row by row with line numbers and clear errors."""

from __future__ import annotations

import csv
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
