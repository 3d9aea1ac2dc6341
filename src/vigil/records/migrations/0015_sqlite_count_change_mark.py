"""SQLite's change mark (``records.count_changes``): one row, written by Vigil's backend.

``records_count_change`` on SQLite holds one row, ``rowid = 1``: ``n`` how many marks, ``token``
the last mark's random number. After each statement that writes a watched table
(``count_changes.WATCHED``) the SQLite backend sets it to ``(n + 1, random())`` on the writer's
connection, in its transaction (``vigil.core.db.write_marks``) — no trigger: any trigger made
bulk writes inside a savepoint 15-20 times slower (docs/benchmarks.md §4, "The home page on
SQLite, fifteenth round"). PostgreSQL: nothing (migration 0014's triggers). Not a model:
Django's flush must not empty it.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE TABLE records_count_change (n integer NOT NULL, token integer NOT NULL)",
    "INSERT INTO records_count_change (rowid, n, token) VALUES (1, 0, random())",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS records_count_change"]


def _run(statements: list[str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "sqlite":  # PostgreSQL: 0014's triggers
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("records", "0014_record_counts_change_marks")]

    operations = [migrations.RunPython(_run(SQLITE_FORWARD), _run(SQLITE_BACKWARD))]
