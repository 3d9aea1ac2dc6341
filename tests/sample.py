"""Reading the Viasna sample for parser tests."""

from __future__ import annotations

import csv
from pathlib import Path

VIASNA_SAMPLE = Path("viasna") / "prisoners_sample.csv"


def distinct_values(shared_data: Path, column: str) -> list[str]:
    """Every distinct value of `column` in the Viasna sample, sorted."""
    with (shared_data / VIASNA_SAMPLE).open(encoding="utf-8", newline="") as handle:
        return sorted({row[column] for row in csv.DictReader(handle)})
