"""The geometry of an UpSet plot of an overlap table (drawn as inline SVG by the template).

One column per pattern of lists that holds anyone, largest first: a bar with its count above,
and below it a row of dots per list, filled where the pattern includes the list and joined by
a line. Each list's row is labelled with its name and how many persons it holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from vigil.counting.table import OverlapTable

COLUMN = 34
LABEL = 170
BAR_HEIGHT = 120
TOP = 18
ROW = 22
MOST_COLUMNS = 16


@dataclass(frozen=True)
class Dot:
    cy: int
    filled: bool


@dataclass(frozen=True)
class Column:
    x: int
    count: int
    bar_y: int
    bar_height: int
    dots: tuple[Dot, ...]
    line: tuple[int, int] | None
    lists: str  # the lists of the pattern, for the title


@dataclass(frozen=True)
class Row:
    name: str
    total: int
    y: int


@dataclass(frozen=True)
class UpSet:
    width: int
    height: int
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    left_out: int  # patterns not drawn (beyond MOST_COLUMNS)
    bar_base: int
    label_width: int = LABEL


def upset(table: OverlapTable) -> UpSet:
    """The plot of ``table``: its patterns with a count, largest first."""
    cells = [
        (int(n), tuple(int(b) for b in pattern))
        for pattern, n in zip(table.patterns, table.counts, strict=True)
        if n > 0
    ]
    cells.sort(key=lambda c: (-c[0], -sum(c[1]), c[1]))
    shown = cells[:MOST_COLUMNS]
    largest = max((n for n, _ in shown), default=1)
    base = TOP + BAR_HEIGHT
    first_row = base + 14
    rows = tuple(
        Row(name, int(sum(n for n, p in cells if p[j])), first_row + j * ROW + ROW // 2)
        for j, name in enumerate(table.lists)
    )
    columns = []
    for k, (n, pattern) in enumerate(shown):
        height = max(1, round(BAR_HEIGHT * n / largest))
        dots = tuple(Dot(rows[j].y, bool(bit)) for j, bit in enumerate(pattern))
        filled = [d.cy for d in dots if d.filled]
        columns.append(
            Column(
                x=LABEL + k * COLUMN + COLUMN // 2,
                count=n,
                bar_y=base - height,
                bar_height=height,
                dots=dots,
                line=(min(filled), max(filled)) if len(filled) > 1 else None,
                lists=" + ".join(table.lists[j] for j, bit in enumerate(pattern) if bit),
            )
        )
    return UpSet(
        width=LABEL + max(1, len(shown)) * COLUMN + 8,
        height=first_row + len(rows) * ROW + 4,
        columns=tuple(columns),
        rows=rows,
        left_out=len(cells) - len(shown),
        bar_base=base,
    )
