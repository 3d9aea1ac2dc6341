"""The history rows (``core_version``, ``core_versionbatch``) record the transaction that wrote
them: ``xact``.

On PostgreSQL a row's id is taken from the sequence when it is inserted, not when it
commits: a long bulk write holds rows with low ids uncommitted while others commit higher
ones, and a reader that replays the history by id (the search index's catch-up,
``vigil.search.sync``) must find those rows once they commit. There the column's default
becomes ``pg_current_xact_id()`` (the writing transaction's 64-bit id, as a bigint); an
index on it (built concurrently by the next migration, 0006) lets the catch-up look up the
rows of the transactions that have ended since it last ran. The model declares
``db_default=Value(0)``: inserts leave the column to the database, and SQLite (one write
transaction at a time, ids commit in order) keeps 0 and no index. (A ``Value``, not a bare 0:
for a bare default Django's SQLite schema editor copies the whole table instead of ``ALTER
TABLE … ADD COLUMN``.)

Safe while the previous release serves: the columns are added nullable with a constant
default (no table rewrite on PostgreSQL), and the old code's inserts, which do not name them,
get the default. Backwards the PostgreSQL default goes first.

Until 2026-12-07 this migration also built the two ``xact`` indexes, with a plain ``CREATE
INDEX``: that stops the history tables' writes for the build (seconds at 100,000 records)
while the previous release serves. They are now built ``CONCURRENTLY`` by 0006. A database
that applied this migration before keeps the indexes it built (a migration applied is never
run again) and 0006 finds them there; one that applies it now gets them from 0006.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

POSTGRES_FORWARD = [
    "ALTER TABLE core_version ALTER COLUMN xact SET DEFAULT (pg_current_xact_id()::text::bigint)",
    "ALTER TABLE core_versionbatch ALTER COLUMN xact SET DEFAULT "
    "(pg_current_xact_id()::text::bigint)",
]
POSTGRES_BACKWARD = [
    "ALTER TABLE core_versionbatch ALTER COLUMN xact SET DEFAULT 0",
    "ALTER TABLE core_version ALTER COLUMN xact SET DEFAULT 0",
]


def _run(statements: list[str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0004_version_batch_per_bulk_write")]

    operations = [
        migrations.AddField(
            model_name="version",
            name="xact",
            field=models.BigIntegerField(
                blank=True, db_default=models.Value(0), editable=False, null=True
            ),
        ),
        migrations.AddField(
            model_name="versionbatch",
            name="xact",
            field=models.BigIntegerField(
                blank=True, db_default=models.Value(0), editable=False, null=True
            ),
        ),
        migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD)),
    ]
