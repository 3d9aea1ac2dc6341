"""Live rows counted per level as the writes happen (PostgreSQL): the person list's count.

PostgreSQL has no cheap exact count of a table: ``COUNT(*)`` of the live persons at some levels
visits each of their index entries (about 4-5 ms of the server's CPU at 100,000 persons, on
every list page; SQLite counts a whole table from its pages, :func:`vigil.records.visible.
count_visible`). Migration ``records/0013_person_live_count`` keeps, on PostgreSQL only, a
table of signed numbers per level (``records_person_live_count``): statement-level triggers
on ``records_person`` add, for every ``INSERT``, ``UPDATE``, ``DELETE`` (``COPY`` included)
how many live rows (``deleted_at IS NULL``) each level gained or lost, and a ``TRUNCATE``
empties it. The numbers are written in the same transaction as the rows, so every snapshot
that sees the rows sees their numbers: the sum at some levels is exactly ``COUNT(*)`` of the
live rows at those levels, for every reader, at once — never a cached or estimated figure.

The table is kept short: a writer in ``READ COMMITTED`` that holds the table's advisory lock
(tried, never waited for) replaces the rows it sees by their sums in one statement
(``DELETE … RETURNING`` feeding the ``INSERT``: only rows this statement removed are summed,
and no other transaction deletes them meanwhile). Other writers only append.

It is not a model: Django's flush must not empty it apart from the persons it counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# The counted table and the table of its numbers per level (migration 0013).
COUNTED = "records_person"
COUNTS = "records_person_live_count"


def live_count(connection: Any, table: str, levels: Sequence[str]) -> int | None:
    """How many live rows of ``table`` are at one of ``levels`` (the sum of the numbers the
    triggers kept); None where no numbers are kept (SQLite, another table)."""
    if connection.vendor != "postgresql" or table != COUNTED or not levels:
        return None
    marks = ", ".join(["%s"] * len(levels))
    # A constant table name and placeholders: no value is written into the SQL.
    sql = f"SELECT COALESCE(SUM(n), 0)::bigint FROM {COUNTS} WHERE confidentiality IN ({marks})"  # noqa: S608  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, list(levels))
        row = cursor.fetchone()
    return int(row[0])
