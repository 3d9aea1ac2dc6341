"""PostgreSQL: the indexes on the history rows' transaction (``core_version.xact``,
``core_versionbatch.xact``; 0005) are built ``CONCURRENTLY``: the history tables keep taking
writes while the previous release serves (a plain build stopped them for its length, seconds
at 100,000 records). Not in a transaction (``atomic = False``); a build that failed leaves an
INVALID index, dropped and built again when the migration is run again
(:func:`vigil.core.concurrent_index.build_index`). Where 0005 already built them (it did
before 2026-12-07), nothing is built. SQLite keeps no index on the column (0 in every row).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

from vigil.core.concurrent_index import build_index

INDEXES = {
    "core_version_xact": "core_version",
    "core_versionbatch_xact": "core_versionbatch",
}


def build(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table in INDEXES.items():
        build_index(
            schema_editor, name, f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} (xact)"
        )


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("core", "0005_history_rows_record_their_transaction")]

    operations = [migrations.RunPython(build, drop)]
