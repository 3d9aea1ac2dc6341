"""Loading of the reviewable data files that hold Vigil's name rules."""

from __future__ import annotations

import csv
import functools
from importlib import resources


@functools.cache
def read_rows(filename: str) -> tuple[dict[str, str], ...]:
    """Rows of one CSV file from `vigil/names/data`, as dictionaries of stripped strings."""
    text = (
        resources.files("vigil.names")
        .joinpath("data")
        .joinpath(filename)
        .read_text(encoding="utf-8")
    )
    reader = csv.DictReader(text.splitlines())
    return tuple({k: (v or "").strip() for k, v in row.items()} for row in reader)


def split_cell(value: str) -> list[str]:
    """Values of a `|`-separated cell, empty ones dropped."""
    return [part.strip() for part in value.split("|") if part.strip()]
