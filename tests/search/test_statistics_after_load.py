"""The planner's statistics after a bulk write: searches right after a load plan on them.

PostgreSQL's autovacuum analyses only committed rows, up to a minute after a load (and never
what a test's transaction writes); until then the name search planned on tables it had no
statistics for and took about a second a search at 20,000 persons. SQLite's planner knows a
table's size only from ``ANALYZE``.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vigil.core.context import change_context
from vigil.demo.synthetic import generate
from vigil.records.batch import ANALYSE_MIN_PAGES, analyse_grown_tables
from vigil.records.models import Person
from vigil.search.models import NameForm
from vigil.search.rebuild import rebuild_all

pytestmark = pytest.mark.django_db

PERSONS = 400  # enough for the persons and name forms to pass ANALYSE_MIN_PAGES


def _planned_rows(table: str) -> int:
    """How many rows the planner believes ``table`` holds (-1: no statistics at all)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
            stats = [int(str(row[0]).split()[0]) for row in cursor.fetchall()]
            return max(stats, default=-1)
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        return int(cursor.fetchone()[0])


def _pages(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_relation_size(%s::regclass) / current_setting('block_size')::int", [table]
        )
        return int(cursor.fetchone()[0])


@pytest.fixture
def settled(transactional_db: None) -> None:
    """On PostgreSQL, the tables as a long-running installation's are after autovacuum: no dead
    pages and statistics of the rows they hold. An earlier test's rolled-back load leaves its
    pages behind, and an ``ANALYZE`` inside its transaction leaves the sizes it saw in
    ``pg_class`` (they are not rolled back): the tests below would otherwise start from
    whatever the tests before them left."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


@pytest.mark.usefixtures("settled")
def test_after_a_bulk_load_and_an_index_rebuild_the_planner_knows_the_persons_and_names():
    with change_context("test"):
        generate(PERSONS, index=False, seed=11)
        rebuild_all()
    persons = Person.objects.count()
    forms = NameForm.objects.count()
    assert persons >= PERSONS and forms >= PERSONS
    if connection.vendor == "postgresql":  # big enough to be analysed
        assert _pages(Person._meta.db_table) >= ANALYSE_MIN_PAGES
        assert _pages(NameForm._meta.db_table) >= ANALYSE_MIN_PAGES
    assert _planned_rows(Person._meta.db_table) >= 0.9 * persons
    assert _planned_rows(NameForm._meta.db_table) >= 0.9 * forms


@pytest.mark.usefixtures("settled")
def test_a_small_import_analyses_no_table_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's ANALYZE (SQLite's PRAGMA optimize decides for itself)")
    with change_context("test"), CaptureQueriesContext(connection) as queries:
        generate(5, index=True, seed=12)
    analyses = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("ANALYZE")]
    assert analyses == []


def test_a_table_is_analysed_when_big_enough_and_again_once_it_doubled_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's ANALYZE")
    probe = "statistics_probe"  # created in the test's transaction, gone after it

    def fill(pages: int) -> None:
        with connection.cursor() as cursor:
            while _pages(probe) < pages:  # a fraction of a page at a time
                cursor.execute(
                    f"INSERT INTO {probe} SELECT g, repeat('x', 200) FROM generate_series(1, 10) g"
                )

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {probe} (id integer, pad text)")
    fill(ANALYSE_MIN_PAGES - 1)
    assert probe not in analyse_grown_tables()  # never analysed, but small
    fill(ANALYSE_MIN_PAGES)
    assert probe in analyse_grown_tables()
    assert _planned_rows(probe) > 0
    analysed = _pages(probe)
    fill(analysed + analysed // 2)
    assert probe not in analyse_grown_tables()  # half as big again: not markedly
    fill(2 * analysed)
    assert probe in analyse_grown_tables()


def test_a_table_analysed_when_empty_is_analysed_again_once_it_holds_rows_on_postgresql():
    """A table analysed while it held no live row (a large write rolled back leaves its pages
    behind) is planned as empty whatever its size: analysed again at the next bulk write's end,
    though it has not doubled."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's ANALYZE")
    probe = "statistics_probe_emptied"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {probe} (id integer, pad text)")
        cursor.execute(
            f"INSERT INTO {probe} SELECT g, repeat('x', 200) FROM generate_series(1, 400) g"
        )
        cursor.execute(f"DELETE FROM {probe}")
        cursor.execute(f"ANALYZE {probe}")
    assert _planned_rows(probe) == 0 and _pages(probe) >= ANALYSE_MIN_PAGES
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {probe} SELECT g, 'y' FROM generate_series(1, 100) g")
    assert probe in analyse_grown_tables()
    assert _planned_rows(probe) == 100


@pytest.mark.usefixtures("settled")
def test_a_full_catch_up_of_the_index_analyses_the_forms_it_wrote_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's ANALYZE")
    with change_context("test"):
        generate(PERSONS, index=False, seed=16)
    call_command("search-index", "--catch-up", stdout=io.StringIO())
    forms = NameForm.objects.count()
    assert forms >= PERSONS and _pages(NameForm._meta.db_table) >= ANALYSE_MIN_PAGES
    assert _planned_rows(NameForm._meta.db_table) >= 0.9 * forms
