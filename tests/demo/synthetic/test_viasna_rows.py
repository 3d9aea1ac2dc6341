"""Viasna-shaped benchmark rows: the real header and value shapes, fictional names, clean import."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from django.apps import apps

from vigil.core.context import change_context
from vigil.core.history import count_versions
from vigil.core.models import VigilModel
from vigil.importers.viasna import import_viasna
from vigil.importers.viasna_values import classify_place, withheld_name

HEADER = (
    "id,url,name,status,gender,birthday,arrested,articles,prison_title,decision,penalty,judge,"
    "counsel,verdict_date,appeal_date,release_date,description"
).split(",")


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def test_write_rows_writes_the_exact_viasna_header(viasna_rows: ModuleType, tmp_path: Path) -> None:
    header, rows = _read(viasna_rows.write_rows(tmp_path / "rows.csv", 10))
    assert header == HEADER
    assert len(rows) == 10
    assert len({r["id"] for r in rows}) == 10


def test_write_rows_header_matches_the_real_sample(
    viasna_rows: ModuleType, tmp_path: Path, shared_data: Path
) -> None:
    real_header, _ = _read(shared_data / "viasna" / "prisoners_sample.csv")
    header, _ = _read(viasna_rows.write_rows(tmp_path / "rows.csv", 1))
    assert header == real_header


def test_write_rows_is_deterministic_for_a_seed(viasna_rows: ModuleType, tmp_path: Path) -> None:
    a = viasna_rows.write_rows(tmp_path / "a.csv", 200, seed=3).read_bytes()
    b = viasna_rows.write_rows(tmp_path / "b.csv", 200, seed=3).read_bytes()
    c = viasna_rows.write_rows(tmp_path / "c.csv", 200, seed=4).read_bytes()
    assert a == b
    assert a != c


def test_rows_mix_the_value_shapes_of_the_real_list(viasna_rows: ModuleType) -> None:
    rows = list(viasna_rows.rows(3000, seed=1))
    judges = Counter(len([p for p in r["judge"].split(",") if p.strip()]) for r in rows)
    assert set(judges) == {0, 1, 2, 3}
    assert any(" | " in r["articles"] for r in rows)
    assert any(r["decision"] == "2 1/2 years" for r in rows)
    assert any("khimiya" in r["penalty"] for r in rows)
    counsel = [p.strip() for r in rows for p in r["counsel"].split(",") if p.strip()]
    assert any(" " not in p for p in counsel)  # surname only, as the source sometimes writes
    for column in ("birthday", "arrested", "prison_title", "judge", "counsel", "release_date"):
        empty = sum(not r[column] for r in rows)
        assert 0 < empty < len(rows), column


def test_rows_name_only_fictional_places_of_detention(viasna_rows: ModuleType) -> None:
    for row in viasna_rows.rows(500, seed=2):
        place = classify_place(row["prison_title"])
        if place is not None and place.number is not None:
            assert int(place.number) >= 901


def test_rows_name_no_one_in_the_real_viasna_sample(
    viasna_rows: ModuleType, real_names: set[str]
) -> None:
    named = set()
    for row in viasna_rows.rows(2000, seed=0):
        named.add(row["name"].casefold())
        for column in ("judge", "counsel"):
            named.update(p.strip().casefold() for p in row[column].split(",") if p.strip())
    assert not {n for n in named if not withheld_name(n)} & real_names


@pytest.mark.django_db
def test_written_rows_import_cleanly_with_history(viasna_rows: ModuleType, tmp_path: Path) -> None:
    path = viasna_rows.write_rows(tmp_path / "rows.csv", 300, seed=7)
    with change_context("test"):
        report = import_viasna(path)
    assert (report.rows, report.imported, report.problems) == (300, 300, [])
    records = sum(m.all_objects.count() for m in apps.get_models() if issubclass(m, VigilModel))
    assert records == report.upsert.total("created") > 300 * 5
    assert count_versions() == records
