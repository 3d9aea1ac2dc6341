"""Fixtures for the synthetic-data tests: the benchmark row generator, loaded from its file."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from vigil.importers.viasna_values import withheld_name

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def viasna_rows() -> ModuleType:
    """The `benchmarks/viasna_rows.py` module (benchmarks are scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(
        "viasna_rows", ROOT / "benchmarks" / "viasna_rows.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def real_names(shared_data: Path) -> set[str]:
    """Every person named in the real Viasna sample (victims, judges, counsel), casefolded."""
    names: set[str] = set()
    with (shared_data / "viasna" / "prisoners_sample.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names.add(row["name"].strip().casefold())
            for column in ("judge", "counsel"):
                names.update(p.strip().casefold() for p in row[column].split(",") if p.strip())
    # Placeholders ("Citizen A.", "Resident of ...") withhold a name: they name no one.
    return {n for n in names if not withheld_name(n)}
