"""Vigil's PostgreSQL sessions run without JIT compilation unless VIGIL_PG_JIT=1 (a
policy-checked statement's cost estimate once bought 6.9 s of LLVM compilation for 0.2 s of
work on a profile page)."""

from __future__ import annotations

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from vigil.core.db.postgres_session import configure_session

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (VIGIL_DATABASE_URL): SQLite has no JIT")


def _jit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        return str(cursor.fetchone()[0])


def test_a_postgresql_session_runs_without_jit(monkeypatch):
    monkeypatch.delenv("VIGIL_PG_JIT", raising=False)
    with connection.cursor() as cursor:
        cursor.execute("SET jit = on")
    configure_session(None, connection)
    assert _jit() == "off"


def test_vigil_pg_jit_keeps_the_servers_setting(monkeypatch):
    with connection.cursor() as cursor:
        cursor.execute("SET jit = on")
    monkeypatch.setenv("VIGIL_PG_JIT", "1")
    configure_session(None, connection)
    assert _jit() == "on"


def test_a_new_connection_is_configured_by_the_signal(monkeypatch):
    monkeypatch.delenv("VIGIL_PG_JIT", raising=False)
    fresh = connections.create_connection(DEFAULT_DB_ALIAS)
    # A session that starts with JIT on (the server's default; the test cluster turns it off).
    fresh.settings_dict = {
        **fresh.settings_dict,
        "OPTIONS": {**fresh.settings_dict.get("OPTIONS", {}), "options": "-c jit=on"},
    }
    try:
        with fresh.cursor() as cursor:
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"
    finally:
        fresh.close()
