"""OFAC SDN names (legacy CSV) for the screening speed benchmark."""

from __future__ import annotations

import csv
from pathlib import Path

from vigil.names import NameRecord

EMPTY = "-0-"


def _rows(path: Path) -> list[list[str]]:
    """Rows of a legacy OFAC CSV: no header, '-0- ' for empty, a Ctrl-Z line at the end."""
    with path.open(encoding="latin-1", newline="") as fh:
        rows = []
        for row in csv.reader(fh):
            if not row or row[0].strip() in ("", "\x1a"):
                continue
            rows.append([cell.strip() if cell.strip() != EMPTY else "" for cell in row])
        return rows


def load_ofac(folder: Path) -> list[NameRecord]:
    """One record per SDN entry with its primary name and aliases."""
    names: dict[str, list[str]] = {}
    kinds: dict[str, str] = {}
    for row in _rows(folder / "sdn.csv"):
        if len(row) > 3 and row[1]:
            names[row[0]] = [row[1]]
            kinds[row[0]] = row[2]
    for row in _rows(folder / "alt.csv"):
        if len(row) > 3 and row[0] in names and row[3]:
            names[row[0]].append(row[3])
    return [NameRecord(f"ofac/{uid}", forms) for uid, forms in names.items()]


def ofac_queries(records: list[NameRecord], count: int) -> list[tuple[str, str]]:
    """(query, truth) pairs: primary names of spread-out entries, 'LAST, First' turned around."""
    step = max(1, len(records) // count)
    queries = []
    for record in records[::step][:count]:
        name = record.names[0]
        head, comma, tail = name.partition(",")
        queries.append(((tail.strip() + " " + head.strip()) if comma else name, record.entity_id))
    return queries
