"""The outbox rows' digest index is built by its own migration (alerts 0004, CONCURRENTLY on
PostgreSQL) under the name Django gives the foreign key's index, which alerts 0003's state
holds: a later migration that changes the field finds it."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

pytestmark = [pytest.mark.django_db]


def test_the_digest_index_exists_under_the_name_the_migration_state_gives_it():
    migration = importlib.import_module(
        "vigil.alerts.migrations.0004_outbox_digest_index_concurrently"
    )
    editor = connection.SchemaEditorClass(connection)
    assert migration.NAME == editor._create_index_name("alerts_outbox", ["digest_id"], suffix="")
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, "alerts_outbox")
    assert found[migration.NAME]["index"]
    assert found[migration.NAME]["columns"] == ["digest_id"]
