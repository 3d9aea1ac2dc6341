"""Streaming in batches: shared records span batches, nothing accumulates, results agree."""

import csv
from pathlib import Path

import pytest

from vigil.core.context import change_context
from vigil.core.errors import ImportFailed
from vigil.core.models import Version
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
    versions = Version.objects.count()
    second = _import(path, batch_rows=1)
    assert second.upsert.total("created") == second.upsert.total("updated") == 0
    assert second.upsert.total("unchanged") == sum(records.values())
    assert Version.objects.count() == versions == sum(records.values())


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


def test_an_import_opens_no_savepoint_per_model_or_custody_refresh(tmp_path):
    """On SQLite a savepoint holds a copy of every page it changes until released: one per
    model and per custody refresh of every batch grew an import's memory with the database."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = _write(tmp_path / "rows.csv", [_row(i) for i in range(5)])
    with CaptureQueriesContext(connection) as queries:
        report = _import(path, batch_rows=2)
    assert report.imported == 5
    assert Version.objects.filter(model="records.act").count() > 0
    savepoints = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" in q["sql"].upper()]
    # The test's own transaction and the import's outer atomic block: nothing per batch.
    assert len(savepoints) <= 2, savepoints


def test_after_a_batch_the_custody_facts_are_read_by_person(tmp_path):
    """The planner's statistics are refreshed after every batch: a connection that opened on
    an empty database read every act of a type for each custody refresh (an import then
    slowed with the square of its rows)."""
    from django.db import connection

    from vigil.records.custody import RELEVANT, acts_facts
    from vigil.records.models import Act

    if connection.vendor != "sqlite":
        pytest.skip("the plan checked is SQLite's (PostgreSQL's autovacuum analyses)")
    assert not Act.all_objects.exists()
    with connection.cursor() as cursor:
        # What a connection opened on an empty database knows: the vocabulary's size, and
        # an empty act table.
        cursor.execute("ANALYZE records_term")
        cursor.execute("ANALYZE records_act")
    path = _write(tmp_path / "rows.csv", [_row(i) for i in range(30)])
    _import(path, batch_rows=10)
    ids = list(Person.objects.values_list("pk", flat=True)[:5])
    query = Act.all_objects.filter(victim_person_id__in=ids, act_type__key__in=RELEVANT)
    sql, params = query.values_list("id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "victim_person_id" in plan, plan
    assert list(acts_facts(Act.all_objects.filter(victim_person_id__in=ids)))


def test_a_bulk_write_collects_garbage_less_often_and_gives_the_collector_back():
    import gc

    from vigil.records.batch import BULK_GC_THRESHOLD, bulk_gc

    before = gc.get_threshold()
    with bulk_gc():
        assert gc.get_threshold() == BULK_GC_THRESHOLD
        assert gc.get_freeze_count() > 0
        with bulk_gc():  # nested bulk writes: the outermost one restores
            pass
        assert gc.get_threshold() == BULK_GC_THRESHOLD
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
