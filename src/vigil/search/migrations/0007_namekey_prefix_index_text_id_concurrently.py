"""PostgreSQL: the name keys' prefix index ``search_namekey_key_prefix_form`` (key
varchar_pattern_ops, form_id) carries the text id (``INCLUDE (text_id)``, the column 0006
adds and fills), so the name search reads the key rows' text ids from the index alone.

Built without stopping the key table's writes while the previous release serves (no
transaction, ``atomic = False``): the new index is built ``CONCURRENTLY`` under another name,
the old one is dropped ``CONCURRENTLY`` and the new one takes its name (the search's plans and
their tests name it). The search keeps the old index until the new one is there. A run that
failed is run again from where it stopped: an INVALID build is dropped and built again
(:func:`vigil.core.concurrent_index.build_index`), a dropped index is not dropped twice, and
an index that already carries the text id is left as it is — as on a database that applied
0006 before 2026-12-07, when 0006 built it plainly. Backwards the index without the text id
comes back the same way. No ``ANALYZE``: an index on plain columns brings no statistics of its
own, and autovacuum analyses the table after 0006's fill rewrote every row (run in 0006, it
held its ``ADD COLUMN``'s exclusive lock ~0.1 s longer at 1M keys). SQLite is not touched
(0006 swapped its key index).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

from vigil.core.concurrent_index import build_index, index_state

PREFIX = "search_namekey_key_prefix_form"
#: The new index's name until the old one is dropped.
SWAP = "search_namekey_key_prefix_form_swap"
COLUMNS = "(key varchar_pattern_ops, form_id)"
TEXT_ID = " INCLUDE (text_id)"


def _definition(schema_editor: Any, name: str) -> str | None:
    found = index_state(schema_editor.connection, name)
    return None if found is None else found[1]


def _swap(with_text_id: bool) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        current = _definition(schema_editor, PREFIX)
        if current is not None and (TEXT_ID.strip() in current) == with_text_id:
            return  # already as wanted
        swap = _definition(schema_editor, SWAP)
        if swap is not None and (TEXT_ID.strip() in swap) != with_text_id:
            # left by a failed run the other way
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {SWAP}")
        build_index(
            schema_editor,
            SWAP,
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {SWAP} ON search_namekey {COLUMNS}"
            + (TEXT_ID if with_text_id else ""),
        )
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {PREFIX}")
        schema_editor.execute(f"ALTER INDEX {SWAP} RENAME TO {PREFIX}")

    return run


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("search", "0006_nametext_and_namekey_text_id")]

    operations = [migrations.RunPython(_swap(True), _swap(False))]
