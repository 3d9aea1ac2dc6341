"""The mark of the last write to what the record's counts read: a cache of counts is current
exactly while this mark is the one it was read under.

Migration ``records/0014_record_counts_change_marks`` adds triggers on every table that
:func:`vigil.records.stats.record_stats` counts, or whose rows decide what a ceiling sees of
them (acts, involvements, persons, organisations, events, participants, sources, statistics,
and the vocabulary terms whose keys name the types and roles). Each ``INSERT``, ``UPDATE``,
``DELETE`` (and on PostgreSQL ``TRUNCATE``) of such a row, whoever writes it — a form, the
API, an import's bulk batches, a purge, raw SQL — adds a mark in the writer's own transaction:
one more to a number, and a random token to a sum. :func:`change_mark` is the pair of sums as
the reader's snapshot sees them:

- a reader sees a write's mark exactly when it sees the write's rows (same transaction);
- every committed write changes the pair (the number grows);
- a rolled-back write's token is never seen again, so counts read inside a transaction that
  wrote and then rolled back can never match a later mark (the number alone could: a later
  write would bring it back to the same value).

PostgreSQL appends one row per writing statement (writers never wait for one another on it)
and folds them into one when a writer gets the advisory lock without waiting (the sums do not
change). SQLite keeps no marks, so there the counts are read each time: any trigger on a
table, even one that writes nothing, makes every single-row write open a statement journal,
and inside a savepoint (a test's transaction, a caller's) each statement's release walks the
in-memory sub-journal the savepoint holds from its first 1 KiB chunk — bulk writes there became
15-20 times slower (docs/benchmarks.md §4, "The home page on SQLite, fifteenth round";
``benchmarks/sqlite_statement_journal.py``).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db import connections

T = TypeVar("T")

TABLE = "records_count_change"
TOKEN_RANGE = 2**62

# Constant SQL: the table name and a number of ours, no value from outside.
_SQL = {
    "postgresql": (
        f"SELECT COALESCE(SUM(n), 0)::bigint,"  # noqa: S608  # nosec B608
        f" COALESCE(MOD(SUM(token), {TOKEN_RANGE}), 0)::bigint FROM {TABLE}"
    ),
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
