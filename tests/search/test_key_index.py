"""The name keys' indexes: on PostgreSQL a prefix lookup reads the form ids from its index,
and the key column keeps short statistics (migration search 0003; docs/benchmarks.md §4,
tenth round); that prefix index answers lists of keys too, so the plain key index is dropped
there (migration search 0005; docs/benchmarks.md §2, thirteenth round). SQLite's key index
(key, form) answers lists and ranges alike and is its only one.
"""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

from tests.search.migration_editor import InTransactionEditor
from vigil.search import name_search

pytestmark = [pytest.mark.django_db]
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's indexes")


def _keys_enough_to_tell_the_indexes_apart() -> None:
    """5,000 keys of one fictional person's form, and the table analysed. On an empty table a
    prefix lookup costs the same through either index, and which one the planner names then
    depends on the page and row counts earlier tests left in ``pg_class`` (``ANALYZE`` writes
    them in place: they outlive the test's rollback) — the test passed in its folder and failed
    alone on a fresh cluster."""
    from vigil.records.models import Person
    from vigil.search.models import NameForm, NameKey, NameText

    person = Person.objects.create(display_name="Fictional Keyholder")
    form = NameForm.objects.create(person=person, text="Keyholder", normalised="keyholder")
    text = NameText.objects.create(normalised="keyholder")
    NameKey.objects.bulk_create(
        NameKey(form=form, key=f"t:{i:05d}", text_id=text.pk) for i in range(5000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_namekey")


@postgres_only
def test_a_prefix_lookup_reads_the_form_ids_from_the_index_alone(ctx):
    _keys_enough_to_tell_the_indexes_apart()
    with connection.cursor() as cursor:
        # Keep the planner off the table scans to see which index a prefix lookup can use.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(
            "EXPLAIN SELECT form_id, key FROM search_namekey WHERE key LIKE %s", ["t:алесь%"]
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using search_namekey_key_prefix_form" in plan


@postgres_only
def test_the_key_column_keeps_ten_most_common_values_for_the_planner():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstattarget FROM pg_attribute"
            " WHERE attrelid = 'search_namekey'::regclass AND attname = 'key'"
        )
        assert cursor.fetchone()[0] == 10


@postgres_only
def test_a_prefix_range_as_the_search_writes_it_reads_the_prefix_index_in_a_kept_plan():
    # The prepared statement's generic plan (what PostgreSQL keeps after five executions) must
    # still read the prefix index: a LIKE with a parameter could not.
    term = name_search._prefix("t:алесь")
    sql = f"SELECT form_id, key FROM search_namekey WHERE {term.sql % ('$1', '$2')}"  # noqa: S608
    connection.ensure_connection()
    pgconn = connection.connection.pgconn  # libpq's simple protocol: $1 belongs to PREPARE

    def rows(statement: str) -> list[str]:
        result = pgconn.exec_(statement.encode())
        assert result.error_message == b"", result.error_message
        return [result.get_value(i, 0).decode() for i in range(result.ntuples)]

    settings = ("enable_seqscan", "enable_bitmapscan")
    try:
        for setting in settings:
            rows(f"SET {setting} = off")
        rows("SET plan_cache_mode = force_generic_plan")
        rows(f"PREPARE prefix_range (text, text) AS {sql}")
        a, b = (p.replace("'", "''") for p in term.params)
        plan = "\n".join(rows(f"EXPLAIN EXECUTE prefix_range ('{a}', '{b}')"))
    finally:
        rows("DEALLOCATE prefix_range")
        for setting in (*settings, "plan_cache_mode"):
            rows(f"RESET {setting}")
    assert "Index Only Scan using search_namekey_key_prefix_form" in plan
    assert "$1" in plan  # the generic plan: the prefix is not written into it


def _key_indexes() -> dict[str, str]:
    """The key table's indexes that start with the key column: name → definition."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, "search_namekey")
    return {
        name: ", ".join(info["columns"])
        for name, info in found.items()
        if info["index"] and info["columns"][:1] == ["key"]
    }


@postgres_only
def test_on_postgresql_the_prefix_index_is_the_only_key_index():
    assert list(_key_indexes()) == ["search_namekey_key_prefix_form"]


@sqlite_only
def test_on_sqlite_the_key_index_carries_the_form_and_text_ids():
    assert _key_indexes() == {"search_namekey_key_form_text": "key, form_id, text_id"}


def _index_definition(name: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [name])
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [name])
        return cursor.fetchone()[0]


@postgres_only
def test_on_postgresql_the_prefix_index_carries_the_text_id():
    definition = _index_definition("search_namekey_key_prefix_form")
    assert "(key varchar_pattern_ops, form_id) INCLUDE (text_id)" in definition


@pytest.mark.parametrize("columns", ["form_id, key, text_id", "form_id, key, 0, text_id"])
def test_the_key_rows_and_their_text_ids_are_read_from_the_key_index_alone(ctx, columns):
    _keys_enough_to_tell_the_indexes_apart()
    terms = [name_search._Sql.keys({"t:00001", "t:04999"}), name_search._prefix("t:0450")]
    statement = name_search._Sql.rows(terms, columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute(f"EXPLAIN {statement.sql}", statement.params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            scans = [line for line in plan.splitlines() if " Scan " in line]
            assert scans
            assert all("Index Only Scan using search_namekey_key_prefix_form" in s for s in scans)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {statement.sql}", statement.params)
            plan = "\n".join(row[-1] for row in cursor.fetchall())
            searches = [line for line in plan.splitlines() if "search_namekey" in line]
            assert searches
            assert all("COVERING INDEX search_namekey_key_form_text" in s for s in searches)
        cursor.execute(statement.sql, statement.params)
        assert len(cursor.fetchall()) == 2 + 10  # two listed, ten in the range


@postgres_only
def test_a_list_of_keys_as_the_search_writes_it_reads_the_form_ids_from_the_prefix_index(ctx):
    _keys_enough_to_tell_the_indexes_apart()
    term = name_search._Sql.keys({"t:00001", "t:04999", "t:алесь"})
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {term.select('form_id, key').sql}", term.params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(term.select("form_id, key").sql, term.params)
        rows = sorted(key for _, key in cursor.fetchall())
    assert "Index Only Scan using search_namekey_key_prefix_form" in plan
    assert rows == ["t:00001", "t:04999"]


@postgres_only
def test_the_migration_builds_the_plain_key_index_again_backwards_and_drops_it_forwards():
    migration = importlib.import_module(
        "vigil.search.migrations.0005_drop_namekey_plain_key_index_on_postgresql"
    )
    editor = InTransactionEditor()
    migration._run(migration.POSTGRES_BACKWARD)(None, editor)
    assert _key_indexes()["search_namekey_key_form"] == "key, form_id"
    migration._run(migration.POSTGRES_FORWARD)(None, editor)
    assert list(_key_indexes()) == ["search_namekey_key_prefix_form"]
    migration._run(migration.POSTGRES_FORWARD)(None, editor)  # gone already: no error
    assert list(_key_indexes()) == ["search_namekey_key_prefix_form"]


def _invalid(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT NOT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
            " WHERE c.relname = %s",
            [name],
        )
        return bool(cursor.fetchone()[0])


@postgres_only
@pytest.mark.django_db(transaction=True)  # CONCURRENTLY cannot run in a transaction
def test_the_text_id_is_added_to_the_prefix_index_by_a_concurrent_swap_that_runs_again():
    migration = importlib.import_module(
        "vigil.search.migrations.0007_namekey_prefix_index_text_id_concurrently"
    )
    with connection.schema_editor(atomic=False) as editor:
        migration._swap(False)(None, editor)  # backwards: the index as 0003 built it
        plain = _index_definition("search_namekey_key_prefix_form")
        assert "(key varchar_pattern_ops, form_id)" in plain and "INCLUDE" not in plain
        # A forwards run that failed after its build, with the build left INVALID.
        editor.execute(
            "CREATE INDEX search_namekey_key_prefix_form_swap ON search_namekey"
            " (key varchar_pattern_ops, form_id) INCLUDE (text_id)"
        )
        editor.execute(
            "UPDATE pg_index SET indisvalid = false WHERE indexrelid ="
            " 'search_namekey_key_prefix_form_swap'::regclass"
        )
        assert _invalid("search_namekey_key_prefix_form_swap")
        migration._swap(True)(None, editor)
        migration._swap(True)(None, editor)  # already carries the text id: nothing done
    assert list(_key_indexes()) == ["search_namekey_key_prefix_form"]
    assert not _invalid("search_namekey_key_prefix_form")
    definition = _index_definition("search_namekey_key_prefix_form")
    assert "(key varchar_pattern_ops, form_id) INCLUDE (text_id)" in definition
