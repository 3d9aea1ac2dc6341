"""Fixtures: a person from the real Viasna sample, and the seed person Ales Bialiatski."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from vigil.core.context import change_context
from vigil.importers.viasna import import_viasna
from vigil.records.models import ExternalId, Person

# A sample row with an arrest, charges, a place of detention, a judge and a counsel column.
VIASNA_ROW = "1"


@pytest.fixture
def viasna_record(db, shared_data: Path, tmp_path: Path) -> Path:
    """One row of the real Viasna sample, imported (a temporary extract keeps the tests fast)."""
    sample = shared_data / "viasna" / "prisoners_sample.csv"
    with sample.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    path = tmp_path / "viasna_extract.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([rows[0], *(r for r in rows[1:] if r[0] == VIASNA_ROW)])
    with change_context("test"):
        import_viasna(path)
    return path


@pytest.fixture
def viasna_person(viasna_record: Path) -> Person:
    """The person of row 1 of the sample, as imported."""
    ext = ExternalId.objects.get(scheme="viasna", value=VIASNA_ROW)
    assert ext.person is not None
    return ext.person


@pytest.fixture
def bialiatski(db) -> Person:
    """Ales Bialiatski as the seed facts record him (sourced claims only)."""
    from vigil.demo.seed_loader import load_seed_facts_into_record

    with change_context("test"):
        load_seed_facts_into_record()
    return Person.objects.get(display_name="Ales Bialiatski")
