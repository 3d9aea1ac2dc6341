"""Streaming in batches: shared records span batches, nothing accumulates, results agree."""

import csv
from pathlib import Path

import pytest

from vigil.core.context import change_context
from vigil.core.errors import ImportFailed
from vigil.core.history import count_versions
from vigil.core.models import Version, VersionBatch
from vigil.importers import viasna
from vigil.importers.viasna import COLUMNS, import_viasna
from vigil.records.models import Involvement, LegalProvision, Organisation, Person

pytestmark = pytest.mark.django_db


def _row(i: int, **overrides: str) -> dict[str, str]:
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        id=str(900100 + i),
        url=f"https://example.org/person/fictional-{i}",
        name=f"Fictional Person{i} Testava",
        gender="female",
        arrested="2021-03-04",
        articles="Art. 342 of the Criminal Code — Fictional title",
        prison_title="Penal colony No. 904",
        decision="2 years",
        penalty="imprisonment in a general-security penal colony",
        judge="Zmitrok Fictionaly",
        verdict_date="2021-09-01",
    )
    row.update(overrides)
    return row


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _import(path: Path, **kwargs):
    with change_context("test"):
        return import_viasna(path, **kwargs)


def test_small_batches_write_shared_records_once(tmp_path):
    path = _write(tmp_path / "rows.csv", [_row(i) for i in range(7)])
    report = _import(path, batch_rows=2)
    assert report.imported == 7
    assert Person.objects.filter(display_name="Zmitrok Fictionaly").count() == 1
    assert Organisation.objects.filter(display_name="Penal colony No. 904").count() == 1
    assert LegalProvision.objects.filter(article="342").count() == 1
    assert Involvement.objects.count() == 7
    assert report.upsert.created["records.person"] == 8  # seven rows and one judge
    assert report.upsert.unchanged == {}


def test_batch_size_does_not_change_what_is_written(tmp_path):
    path = _write(tmp_path / "rows.csv", [_row(i) for i in range(5)])
    one_batch = _import(path, batch_rows=100)
    records = {k: v for k, v in one_batch.upsert.created.items() if v}
    versions, stored, batches = (
        count_versions(),
        Version.objects.count(),
        VersionBatch.objects.count(),
    )
    second = _import(path, batch_rows=1)
    assert second.upsert.total("created") == second.upsert.total("updated") == 0
    assert second.upsert.total("unchanged") == sum(records.values())
    assert count_versions() == versions == sum(records.values())
    # The re-import wrote nothing to the history: no version row, no batch.
    assert (Version.objects.count(), VersionBatch.objects.count()) == (stored, batches)


def test_bad_row_in_a_late_batch_writes_nothing_from_earlier_batches(tmp_path):
    rows = [_row(i) for i in range(5)] + [_row(9, birthday="not a date")]
    with pytest.raises(ImportFailed):
        _import(_write(tmp_path / "bad.csv", rows), batch_rows=2)
    assert Person.all_objects.count() == 0
    assert Version.objects.count() == 0


def test_shared_records_are_forgotten_past_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(viasna, "SHARED_LIMIT", 3)
    rows = [
        _row(i, judge=f"Zmitrok Fictionau{i}", prison_title=f"Prison No. {901 + i}")
        for i in range(4)
    ]
    plan = viasna._Plan()
    for row in rows:
        viasna.plan_row(plan, row, lambda token: token == "Zmitrok")
        plan.end_row(keep=True)
        plan.take()
        plan.settle(written=True)
        assert len(plan.shared) <= 3 + 6  # what one row adds may exceed the limit once


def test_unwritten_batches_leave_no_shared_records_behind():
    plan = viasna._Plan()
    viasna.plan_row(plan, _row(1), lambda token: token == "Zmitrok")
    plan.end_row(keep=True)
    plan.take()
    plan.settle(written=False)
    assert plan.shared == {} and plan.shared_batch == [] and plan.records == {}


def test_cell_caches_are_bounded():
    for cached in (viasna._term, viasna._penalty, viasna._charges, viasna._place, viasna._people):
        assert cached.cache_info().maxsize is not None
