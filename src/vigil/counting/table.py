"""The overlap table: how many persons each combination of lists recorded (the 2^k table)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vigil.core.errors import ValidationFailed

COUNT_NAMES = ("count", "n", "frequency", "freq")
MAX_LISTS = 15


@dataclass(frozen=True)
class OverlapTable:
    """Observed counts of every capture pattern except the all-zero one.

    ``patterns`` is a (2^k - 1, k) 0/1 matrix in a fixed order (pattern number 1 … 2^k - 1, the
    first list as the lowest bit); ``counts`` holds how many persons have each pattern (0 when the
    file did not list it).
    """

    lists: tuple[str, ...]
    patterns: np.ndarray
    counts: np.ndarray

    @property
    def observed(self) -> int:
        return int(self.counts.sum())

    @classmethod
    def from_counts(
        cls, lists: tuple[str, ...], counts: dict[tuple[int, ...], int]
    ) -> OverlapTable:
        """Build a table from ``{pattern: count}``; patterns not given count zero."""
        k = len(lists)
        patterns = all_patterns(k)
        values = np.zeros(len(patterns), dtype=np.int64)
        for pattern, n in counts.items():
            values[pattern_index(pattern) - 1] += n
        return cls(lists=lists, patterns=patterns, counts=values)


def all_patterns(k: int) -> np.ndarray:
    """Every non-empty 0/1 pattern over k lists, pattern number i at row i - 1."""
    numbers = np.arange(1, 2**k)
    return ((numbers[:, None] >> np.arange(k)[None, :]) & 1).astype(np.int64)


def pattern_index(pattern: tuple[int, ...]) -> int:
    return sum(bit << j for j, bit in enumerate(pattern))


def read_overlap_table(path: Path) -> OverlapTable:
    """Read a CSV of one 0/1 column per list and a count column; bad input names its line."""
    if not path.is_file():
        raise ValidationFailed(f"{path}: no such file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(f"{path.name}: not UTF-8 text ({exc.reason})") from exc
    return parse_overlap_table(text, name=path.name)


def parse_overlap_table(text: str, name: str = "table") -> OverlapTable:
    """Parse the overlap table's CSV text (comma, semicolon or tab separated)."""
    if not text.strip():
        raise ValidationFailed(f"{name}: the file is empty")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [
        (number, [cell.strip() for cell in row])
        for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1)
        if any(cell.strip() for cell in row)
    ]
    header_line, header = rows[0]
    if all(_is_integer(cell) for cell in header):
        lists_header = [f"list{j + 1}" for j in range(len(header) - 1)]
        count_column = len(header) - 1
        data = rows
    else:
        count_column = _count_column(header)
        lists_header = [h for j, h in enumerate(header) if j != count_column]
        data = rows[1:]
        blank = [j + 1 for j, h in enumerate(header) if not h]
        if blank:
            raise ValidationFailed(
                f"{name}: line {header_line}: column {blank[0]} of the header has no name"
            )
        if len(set(lists_header)) != len(lists_header):
            raise ValidationFailed(f"{name}: line {header_line}: two list columns share a name")
    k = len(lists_header)
    if k < 2:
        raise ValidationFailed(
            f"{name}: line {header_line}: needs at least two list columns and a count column"
        )
    if k > MAX_LISTS:
        raise ValidationFailed(f"{name}: line {header_line}: at most {MAX_LISTS} lists, got {k}")
    counts: dict[tuple[int, ...], int] = {}
    width = k + 1
    for line, row in data:
        if len(row) != width:
            raise ValidationFailed(
                f"{name}: line {line}: expected {width} columns (one per list and a count), "
                f"found {len(row)}"
            )
        bits = [cell for j, cell in enumerate(row) if j != count_column]
        bad = next((b for b in bits if b not in ("0", "1")), None)
        if bad is not None:
            raise ValidationFailed(f"{name}: line {line}: list cells must be 0 or 1, found {bad!r}")
        raw = row[count_column]
        if not _is_integer(raw) or int(raw) < 0:
            raise ValidationFailed(
                f"{name}: line {line}: the count must be a whole number ≥ 0, found {raw!r}"
            )
        pattern = tuple(int(b) for b in bits)
        if not any(pattern) and int(raw) > 0:
            raise ValidationFailed(
                f"{name}: line {line}: a person on no list cannot be counted "
                "(the all-zero row is what the estimate is for)"
            )
        if any(pattern):
            counts[pattern] = counts.get(pattern, 0) + int(raw)
    table = OverlapTable.from_counts(tuple(lists_header), counts)
    if table.observed == 0:
        raise ValidationFailed(f"{name}: no persons counted (every count is zero)")
    for j, list_name in enumerate(table.lists):
        if table.counts[table.patterns[:, j] == 1].sum() == 0:
            raise ValidationFailed(f"{name}: list {list_name!r} recorded nobody")
    return table


def _count_column(header: list[str]) -> int:
    named = [j for j, h in enumerate(header) if h.lower() in COUNT_NAMES]
    return named[0] if named else len(header) - 1


def _is_integer(cell: str) -> bool:
    return cell.isdigit()
