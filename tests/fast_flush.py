"""A cheaper flush after each transactional test, with the same result as Django's.

Django's ``TransactionTestCase`` empties the database after each test with the ``flush``
command: ``TRUNCATE`` of every model table on PostgreSQL (``DELETE FROM`` each on SQLite),
then the ``post_migrate`` signal, whose receivers write the rows every empty installation
holds again — content types, permissions (about 170 queries), the vocabularies' terms and
the standards. On PostgreSQL the ``TRUNCATE`` of 104 tables gives each table, index and TOAST
table a new file (0.2-0.4 s on an idle machine, seconds under load) and each of the ~270
queries of the receivers is a round trip to the server: 0.7-1.5 s per test in all, paid by
every browser, live-server and other transactional test.

Here the first flush of a process is Django's own; what it leaves (the rows the receivers
wrote) is read once as the baseline. Every later flush deletes the rows of the tables that
are not empty (one query finds them) and writes back the baseline tables whose rows a test
changed, in one transaction: the same tables, the same rows (the receivers' rows keep the ids
of the first flush instead of taking new ones). A table holding more than ``BIG`` rows is
truncated instead of deleted row by row. Tests that flush only some apps
(``available_apps``) or restore serialized data keep Django's flush.
``tests/core/test_fast_flush.py`` checks that both leave the same rows.
"""

from __future__ import annotations

from typing import Any

from django.db import connections, transaction
from django.test import TransactionTestCase

BIG = 5000  # rows above which a table is truncated rather than deleted row by row

# The baseline of each database (alias and name) this process flushed.
_baselines: dict[tuple[str, str], Baseline] = {}

_django_fixture_teardown = TransactionTestCase._fixture_teardown


def _tables(connection: Any) -> list[str]:
    """The tables Django's flush empties (every model's, many-to-many ones included)."""
    return sorted(connection.introspection.django_table_names(only_existing=True))


def _quote(connection: Any, name: str) -> str:
    return str(connection.ops.quote_name(name))


def non_empty_tables(connection: Any, tables: list[str]) -> dict[str, bool]:
    """{table: holds more than BIG rows} for each table of ``tables`` that has rows: one query
    (a column per table) finds them; on PostgreSQL a second one counts up to BIG + 1 in each."""
    if not tables:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(f"EXISTS (SELECT 1 FROM {_quote(connection, t)})" for t in tables)
        )
        filled = [t for t, full in zip(tables, cursor.fetchone(), strict=True) if full]
        if not filled or connection.vendor != "postgresql":
            return dict.fromkeys(filled, False)
        cursor.execute(
            "SELECT "
            + ", ".join(
                f"(SELECT COUNT(*) FROM (SELECT 1 FROM {_quote(connection, t)} "
                f"LIMIT {BIG + 1}) AS x)"
                for t in filled
            )
        )
        return {t: count > BIG for t, count in zip(filled, cursor.fetchone(), strict=True)}


def every_row(connection: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every model table that holds any, as comparable tuples (for tests of the
    flush and of data written back after it)."""
    tables = sorted(non_empty_tables(connection, _tables(connection)))
    found = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {_quote(connection, table)} ORDER BY 1")  # noqa: S608
            found[table] = [tuple(row) for row in cursor.fetchall()]
    return found


def _rows(cursor: Any, connection: Any, table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    cursor.execute(f"SELECT * FROM {_quote(connection, table)} ORDER BY 1")  # noqa: S608
    return [c[0] for c in cursor.description], [tuple(r) for r in cursor.fetchall()]


class Baseline:
    """The rows Django's flush left in each table it did not leave empty: as values (to see
    whether a test changed them) and, on PostgreSQL, as ``COPY`` text (every type round-trips
    exactly)."""

    def __init__(self, connection: Any, tables: list[str]) -> None:
        self.tables: dict[str, tuple[list[str], list[tuple[Any, ...]], bytes]] = {}
        with connection.cursor() as cursor:
            for table in tables:
                columns, rows = _rows(cursor, connection, table)
                copied = b""
                if connection.vendor == "postgresql":
                    names = ", ".join(_quote(connection, c) for c in columns)
                    with cursor.cursor.copy(
                        f"COPY (SELECT {names} FROM {_quote(connection, table)} ORDER BY 1) "
                        "TO STDOUT"
                    ) as copy:
                        copied = b"".join(bytes(block) for block in copy)
                self.tables[table] = (columns, rows, copied)

    def write(self, connection: Any, cursor: Any, table: str) -> None:
        """Insert ``table``'s baseline rows (the table is empty)."""
        columns, rows, copied = self.tables[table]
        names = ", ".join(_quote(connection, c) for c in columns)
        if connection.vendor == "postgresql":
            into = f"COPY {_quote(connection, table)} ({names}) FROM STDIN"
            with cursor.cursor.copy(into) as copy:
                copy.write(copied)
        elif rows:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {_quote(connection, table)} ({names}) VALUES ({marks})",  # noqa: S608
                rows,
            )


def _restore(connection: Any, baseline: Baseline) -> None:
    """Empty every model table and write the baseline rows back, in one transaction; a table
    whose rows are still the baseline's is left as it is."""
    filled = non_empty_tables(connection, _tables(connection))
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        big = [t for t, over in filled.items() if over]
        if big and connection.vendor == "postgresql":
            # Before any DELETE: a table with pending foreign-key checks cannot be truncated.
            # CASCADE takes in the tables that point at these (emptied here anyway), baseline
            # tables among them, so those are all written again.
            cursor.execute("TRUNCATE " + ", ".join(_quote(connection, t) for t in big) + " CASCADE")
            filled = {t: False for t in {*filled, *baseline.tables} if t not in big}
        kept = {
            t
            for t in baseline.tables
            if t in filled and not big and _rows(cursor, connection, t) == baseline.tables[t][:2]
        }
        for table in filled:
            if table not in kept:
                cursor.execute(f"DELETE FROM {_quote(connection, table)}")  # noqa: S608
        for table in baseline.tables:
            if table not in kept:
                baseline.write(connection, cursor, table)
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def _sequences_past_ids(connection: Any, cursor: Any, tables: list[str]) -> None:
    """On PostgreSQL, move each of ``tables``' id sequences past the largest id the table holds
    when it is behind (rows written back with their ids do not advance it)."""
    if connection.vendor != "postgresql" or not tables:
        return
    cursor.execute(
        "SELECT s.oid::regclass::text, t.relname, a.attname FROM pg_depend d"
        " JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'"
        " JOIN pg_class t ON t.oid = d.refobjid"
        " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid"
        " WHERE d.deptype IN ('a', 'i') AND t.relname = ANY(%s)",
        [tables],
    )
    for sequence, table, column in cursor.fetchall():
        cursor.execute(
            f"SELECT setval(%s, x.m) FROM (SELECT max({_quote(connection, column)}) AS m"  # noqa: S608
            f" FROM {_quote(connection, table)}) AS x, {sequence} AS s"
            " WHERE x.m IS NOT NULL AND (x.m > s.last_value OR (x.m = s.last_value"
            " AND NOT s.is_called))",
            [sequence],
        )


def restore(connection: Any, rows: Baseline) -> None:
    """Make the database hold exactly ``rows`` (a ``Baseline`` read from it earlier in this
    process): every other model table emptied, ``rows`` written back with their ids."""
    _restore(connection, rows)
    with connection.cursor() as cursor:
        _sequences_past_ids(connection, cursor, [t for t, (_, r, _) in rows.tables.items() if r])


def flush(connection: Any) -> None:
    """Empty ``connection``'s database as Django's flush and its ``post_migrate`` would: the
    first time with Django's flush itself (its result becomes the baseline), then quickly."""
    key = (connection.alias, str(connection.settings_dict["NAME"]))
    if key in _baselines:
        _restore(connection, _baselines[key])
        return
    from django.core.management import call_command

    call_command(
        "flush",
        verbosity=0,
        interactive=False,
        database=connection.alias,
        reset_sequences=False,
        allow_cascade=False,
        inhibit_post_migrate=False,
    )
    _baselines[key] = Baseline(connection, list(non_empty_tables(connection, _tables(connection))))


def _fixture_teardown(self: TransactionTestCase) -> None:
    """``TransactionTestCase._fixture_teardown`` with the cheaper flush (Django's own for
    tests that flush only some apps or restore serialized data)."""
    if self.available_apps is not None or self.serialized_rollback:
        _django_fixture_teardown(self)
        return
    for db_name in self._databases_names(include_mirrors=False):  # type: ignore[attr-defined]
        flush(connections[db_name])


def install() -> None:
    """Make every transactional test of this process end with the cheaper flush."""
    TransactionTestCase._fixture_teardown = _fixture_teardown  # type: ignore[method-assign]
