"""PostgreSQL only: the name keys lose their plain key index ``search_namekey_key_form``
(``key, form_id``).

Every read of the key table by key on PostgreSQL goes through the prefix index
``search_namekey_key_prefix_form`` (``key varchar_pattern_ops, form_id``, migration 0003): its
operator class answers the name search's ranges (``~>=~``/``~<~``) and equality (``=``, ``=
ANY``) alike and carries the form id, and no statement orders or ranges the keys by the
default collation. At 100k the plain index was read by no search, save, purge or rebuild (the
planner only looked up the column's ends in it while planning ``prune_tokens``), yet it was
written for each of the ~10 key rows of a person's names on every save and every rebuild or
catch-up of the name index (docs/benchmarks.md §2, thirteenth round).

SQLite keeps it: there it is the only key index (its operator classes do not exist), so the
model still declares it and the migration state still lists it. On PostgreSQL the state then
names an index the database lacks; that is safe for what a later migration would do with it:
Django's ``RemoveIndex`` on PostgreSQL is ``DROP INDEX IF EXISTS``, and ``AlterField`` on
``key`` does not touch the model's ``Meta.indexes``. A later ``RenameIndex`` of it, or an
``AddIndex`` of the same name, would have to be guarded for PostgreSQL as this one is.
Backwards the index is built again.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

POSTGRES_FORWARD = ["DROP INDEX IF EXISTS search_namekey_key_form"]
POSTGRES_BACKWARD = [
    "CREATE INDEX IF NOT EXISTS search_namekey_key_form ON search_namekey (key, form_id)"
]


def _run(statements: list[str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0004_nametoken_vocabulary")]

    operations = [migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD))]
