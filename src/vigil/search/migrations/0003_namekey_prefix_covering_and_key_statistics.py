"""PostgreSQL only: the name keys' prefix index carries the form id, and the key column's
statistics are kept short.

- ``search_namekey_key_prefix_form`` (``key varchar_pattern_ops, form_id``) replaces
  ``search_namekey_key_like`` (``key varchar_pattern_ops``): a prefix lookup (``LIKE 'x%'``)
  of the name search reads the form ids from the index alone instead of visiting the table
  for each row (a common given name's 2,286 rows over 140 table pages at 100k).
- The key column's statistics target is 10 (PostgreSQL's default is 100): the name search's
  key lists (a surname's ~130 skeletons one edit away) are planned on every search, and the
  planner compares each listed key with every most common value kept — half of the planning
  of a two-word search at 100k went there, with the same plans.

The prefix index is built ``CONCURRENTLY`` (since 2026-12-07; a database that applied this
migration before built it plainly, and keeps it). SQLite is not touched (its key index
answers ranges and lists alike; it keeps no such statistics).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

from vigil.core.concurrent_index import build_index

#: Built CONCURRENTLY (the name keys keep taking writes; the migration holds no transaction).
PREFIX_FORM = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS search_namekey_key_prefix_form ON search_namekey "
    "(key varchar_pattern_ops, form_id)"
)
POSTGRES_FORWARD = [
    PREFIX_FORM,
    "DROP INDEX IF EXISTS search_namekey_key_like",
    "ALTER TABLE search_namekey ALTER COLUMN key SET STATISTICS 10",
    "ANALYZE search_namekey",
]
POSTGRES_BACKWARD = [
    "ALTER TABLE search_namekey ALTER COLUMN key SET STATISTICS -1",
    "CREATE INDEX IF NOT EXISTS search_namekey_key_like ON search_namekey "
    "(key varchar_pattern_ops)",
    "DROP INDEX IF EXISTS search_namekey_key_prefix_form",
    "ANALYZE search_namekey",
]


def _run(statements: list[str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                if sql == PREFIX_FORM:
                    build_index(schema_editor, "search_namekey_key_prefix_form", sql)
                else:
                    schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("search", "0002_fulltext")]

    operations = [migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD))]
