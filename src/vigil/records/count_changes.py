"""The mark of the last write to what the record's counts read: a cache of counts is current
exactly while this mark is the one it was read under.

The watched tables (:data:`WATCHED`) are every table that :func:`vigil.records.stats.
record_stats` counts, or whose rows decide what a ceiling sees of them (acts, involvements,
persons, organisations, events, participants, sources, statistics, and the vocabulary terms
whose keys name the types and roles), and the stored custody. Each ``INSERT``, ``UPDATE``,
``DELETE`` (and on PostgreSQL ``TRUNCATE``) of such a row adds a mark in the writer's own
transaction, and :func:`change_mark` is the mark as the reader's snapshot sees it:

- a reader sees a write's mark exactly when it sees the write's rows (same transaction);
- every committed write changes the mark (its number grows);
- a rolled-back write's token is never seen again, so counts read inside a transaction that
  wrote and then rolled back can never match a later mark (the number alone could: a later
  write would bring it back to the same value).

PostgreSQL (migration ``records/0014``): statement-level triggers, whoever writes — a form, the
API, an import's bulk batches, a purge, raw SQL, a ``psql`` session. They append one row
``(1, random token)`` per writing statement (writers never wait for one another on it) and
fold the rows into one when a writer gets the advisory lock without waiting (the sums do not
change); the mark is ``(SUM(n), SUM(token) mod 2**62)``.

SQLite (migration ``records/0015``): one row, ``rowid = 1``, set to ``(n + 1, random())`` by
Vigil's database backend after each statement that writes a watched table
(:mod:`vigil.core.db.write_marks`, registered by this app's ``ready()``): an authorizer on each
connection sees the tables a statement writes, its triggers and foreign-key actions included,
and the mark is written on the same connection in the writer's transaction (a write in
autocommit mode is put in one with its mark). Not triggers: any trigger made bulk writes inside
a savepoint 15-20 times slower (docs/benchmarks.md §4, "The home page on SQLite, fifteenth
round"). The mark is in the database file, so every process that opens it (each gunicorn
worker) sees the others' writes. **Not covered:** a write made without Vigil's backend — an
operator's ``sqlcipher`` shell, a script on the driver's own connection — leaves no mark, and
counts kept before it are shown until the next marked write or until the processes restart
(the kept values live in each process's memory). After such a write, run
``UPDATE records_count_change SET n = n + 1, token = random() WHERE rowid = 1`` in the same
shell, or restart Vigil.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db import connections

T = TypeVar("T")

TABLE = "records_count_change"
TOKEN_RANGE = 2**62

# The one definition of the watched tables: the SQLite backend's marks (``ready()``) and what
# PostgreSQL's triggers must cover (migration 0014 made them for these; a test checks the
# migrated database's triggers against this list, so a table added here needs a migration that
# adds its triggers).
WATCHED = (
    "records_storedcustody",
    "records_act",
    "records_involvement",
    "records_person",
    "records_organisation",
    "records_event",
    "records_participant",
    "records_source",
    "records_statistic",
    "records_term",
)

# SQLite's mark: one row in one pass (``WHERE rowid = 1``), so the statement opens no statement
# journal (an ``UPDATE`` that may write several rows would, and inside a savepoint its release
# is what made triggers slow).
SQLITE_MARK = f"UPDATE {TABLE} SET n = n + 1, token = random() WHERE rowid = 1"  # noqa: S608  # nosec B608

# Constant SQL: the table name and a number of ours, no value from outside.
_SQL = {
    "postgresql": (
        f"SELECT COALESCE(SUM(n), 0)::bigint,"  # noqa: S608  # nosec B608
        f" COALESCE(MOD(SUM(token), {TOKEN_RANGE}), 0)::bigint FROM {TABLE}"
    ),
    "sqlite": f"SELECT n, token FROM {TABLE} WHERE rowid = 1",  # noqa: S608  # nosec B608
}


def change_mark(connection: Any) -> tuple[int, int] | None:
    """The pair of sums of the change marks as ``connection``'s snapshot sees them; None on a
    database that keeps no marks."""
    sql = _SQL.get(connection.vendor)
    if sql is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    if row is None:
        return None
    return int(row[0]), int(row[1])


# Values read under a change mark, per database and key (a ceiling's counts, a day's custody
# counts, …): a handful of entries, replaced when the mark moves.
_KEPT: dict[tuple[str, Hashable], tuple[tuple[int, int], Any]] = {}


def kept(alias: str, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` on the database ``alias``, read again only after a write changed the
    change mark (:func:`change_mark`); computed each time where the database keeps no marks.

    ``compute`` must read nothing but the watched tables (and constants of ``key``): its value
    is then the same for as long as the mark is. A value is kept only when the mark was the
    same before and after computing it (a write seen meanwhile could be in the value but not
    in the mark it would be kept under). The caller gets its own copy."""
    connection = connections[alias]
    mark = change_mark(connection)
    if mark is None:
        return compute()
    found = _KEPT.get((alias, key))
    if found is not None and found[0] == mark:
        value: T = copy.deepcopy(found[1])
        return value
    computed = compute()
    if change_mark(connection) == mark:
        if len(_KEPT) >= _KEPT_MAX:
            _KEPT.clear()
        _KEPT[(alias, key)] = (mark, copy.deepcopy(computed))
    return computed


# More than the ceilings, choices and days could make in a day; a bound all the same.
_KEPT_MAX = 256
