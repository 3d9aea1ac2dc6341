"""Streaming in batches: shared records span batches, nothing accumulates, results agree."""

import csv
from pathlib import Path

import pytest

from vigil.core.context import change_context
from vigil.core.errors import ImportFailed
from vigil.core.history import count_versions, history_of
from vigil.core.models import Version, VersionBatch
from vigil.importers import viasna
from vigil.importers.viasna import COLUMNS, import_viasna
from vigil.records.models import Act, Involvement, LegalProvision, Organisation, Person

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


def test_an_import_opens_no_savepoint_per_model_or_custody_refresh(tmp_path):
    """On SQLite a savepoint holds a copy of every page it changes until released: one per
    model and per custody refresh of every batch grew an import's memory with the database."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = _write(tmp_path / "rows.csv", [_row(i) for i in range(5)])
    with CaptureQueriesContext(connection) as queries:
        report = _import(path, batch_rows=2)
    assert report.imported == 5
    # Every act has its version 1 (derived from its batch since acts with a sentence length
    # take the batch path too: the writes above wrote the history).
    acts = list(Act.objects.all())
    assert acts and all(len(history_of(act)) == 1 for act in acts)
    assert VersionBatch.objects.filter(model="records.act").exists()
    savepoints = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" in q["sql"].upper()]
    # The test's own transaction and the import's outer atomic block: nothing per batch.
    assert len(savepoints) <= 2, savepoints


def _acts_the_planner_knows() -> float:
    """How many acts the planner's statistics say ``records_act`` holds."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'records_act'")
            stats = [row[0] for row in cursor.fetchall()]
            return max((int(str(s).split()[0]) for s in stats), default=0)
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'records_act'::regclass")
        return float(cursor.fetchone()[0])


def test_the_planner_knows_the_acts_of_earlier_batches_when_custody_is_refreshed(
    tmp_path, monkeypatch
):
    """The planner's statistics are refreshed after every batch (SQLite's ``PRAGMA optimize``;
    PostgreSQL's ``ANALYZE`` of the tables that grew, inside the import's transaction, whose
    rows it samples): with the statistics of an empty act table the planner read every act of
    the asked types for each custody refresh (SQLite at 12,000 rows, PostgreSQL 0.4 s a refresh
    at 10,000; an import then slowed with the square of its rows)."""
    from django.db import connection

    from vigil.records import custody_store
    from vigil.records.models import Act

    assert not Act.all_objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE records_act")  # what the planner knows of an empty act table
    known: list[float] = []
    refresh = custody_store.refresh

    def noting(person_ids):
        known.append(_acts_the_planner_knows())
        return refresh(person_ids)

    monkeypatch.setattr(custody_store, "refresh", noting)
    # PostgreSQL analyses a table of at least ANALYSE_MIN_PAGES pages: more rows a batch there.
    batch = 10 if connection.vendor == "sqlite" else 150
    path = _write(tmp_path / "rows.csv", [_row(i) for i in range(3 * batch)])
    _import(path, batch_rows=batch)
    assert len(known) == 3
    # The third batch's refresh is planned knowing the acts of the first two.
    assert known[-1] >= 2 * batch, known


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


def test_a_bulk_write_in_a_serving_worker_leaves_what_the_worker_froze_frozen():
    import gc

    from vigil.core.serving_worker import settle_collector
    from vigil.records.batch import BULK_GC_THRESHOLD, bulk_gc

    before = gc.get_threshold()
    try:
        settle_collector()
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with bulk_gc():
            assert gc.get_threshold() == BULK_GC_THRESHOLD
        assert gc.get_threshold() == before
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_imported_names_are_normalised_as_before_without_filling_the_process_cache():
    from vigil.names.normalise import normalise
    from vigil.records.names import normalised_name

    names = ["Іван  Фікцыйны", "IVAN Fiktsyjny", "Ales' Fictionau", "Аляксандр Ф'ікцыйны"]
    normalise.cache_clear()
    assert [viasna._normalised.__wrapped__(n) for n in names] == [
        normalised_name(n, remember=False) for n in names
    ]
    assert normalise.cache_info().currsize == 0  # computed, not remembered
    assert [normalised_name(n, remember=False) for n in names] == [
        normalised_name(n) for n in names
    ]


def test_an_import_keeps_the_ids_it_read_in_a_table_of_fixed_bytes_per_row(tmp_path, monkeypatch):
    """Memory flat in the row count: the ids read (the one per-row state an import keeps until
    its file ends, to tell a repeated row) are numbers in two arrays, not a Python string,
    integer and dictionary entry per row; a repeat in a later batch is still found."""
    from vigil.importers.rows import RowIds

    kept: list[RowIds] = []

    class Recorded(RowIds):
        def __init__(self) -> None:
            super().__init__()
            kept.append(self)

    monkeypatch.setattr(viasna, "RowIds", Recorded)
    rows = [_row(i) for i in range(120)]
    report = _import(_write(tmp_path / "rows.csv", rows), batch_rows=50)
    assert report.imported == 120
    (ids,) = kept
    assert len(ids) == 120 and ids._other == {}  # every id held as a number
    assert ids.nbytes <= 32 * 1024  # the table's starting size, not grown per row here
    with pytest.raises(ImportFailed) as err:
        _import(_write(tmp_path / "again.csv", [*rows, _row(7)]), batch_rows=50)
    assert err.value.problems == [(122, "id: '900107' repeats the row on line 9")]
