"""The index on the outbox rows' digest (``alerts_outbox.digest_id``, the column 0003 adds),
built ``CONCURRENTLY`` on PostgreSQL: the outbox keeps taking writes while the previous
release serves (a plain build in 0003's transaction stopped them for its length). Not in a
transaction (``atomic = False``); a build that failed leaves an INVALID index, dropped and
built again when the migration runs again (:func:`vigil.core.concurrent_index.build_index`).
The name is the one Django gives the foreign key's index (0003's state has it). On SQLite the
index is built plainly, if 0003's table copy did not already build it.

Backwards nothing is dropped: the index belongs to 0003's column and goes with it.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

from vigil.core.concurrent_index import build_index

NAME = "alerts_outbox_digest_id_b5386974"
COLUMNS = 'ON "alerts_outbox" ("digest_id")'


def build(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        build_index(
            schema_editor, NAME, f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{NAME}" {COLUMNS}'
        )
    else:
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{NAME}" {COLUMNS}')


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("alerts", "0003_digest_cadence_feed_tokens_and_reminder_kinds")]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
