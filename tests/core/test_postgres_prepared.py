"""Vigil's PostgreSQL connections bind values on the server and prepare a statement the second
time it runs on a connection (planned once, not on every request), unless VIGIL_PG_PREPARE=0
(a pooler in transaction mode, which does not keep a session's prepared statements)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections

from vigil.core.db.postgres_session import connection_options, prepared_wanted

REPEATED = "SELECT %s::bigint + 1"
AS_PREPARED = "SELECT $1::bigint + 1"


def test_statements_are_prepared_unless_switched_off():
    assert prepared_wanted({})
    assert prepared_wanted({"VIGIL_PG_PREPARE": "1"})
    assert not prepared_wanted({"VIGIL_PG_PREPARE": "0"})


def test_the_switch_gives_back_djangos_client_side_binding():
    assert connection_options({}) == {"server_side_binding": True, "prepare_threshold": 1}
    assert connection_options({"VIGIL_PG_PREPARE": "0"}) == {}


@pytest.fixture
def fresh_connection(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A new connection to the test database with the OPTIONS Vigil's settings give for
    ``request.param`` (the environment), the other options kept."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (VIGIL_DATABASE_URL): SQLite prepares by itself")
    fresh = connections.create_connection(DEFAULT_DB_ALIAS)
    options = {
        k: v
        for k, v in fresh.settings_dict.get("OPTIONS", {}).items()
        if k not in ("server_side_binding", "prepare_threshold")
    }
    options.update(connection_options(request.param))
    fresh.settings_dict = {**fresh.settings_dict, "OPTIONS": options}
    try:
        yield fresh
    finally:
        fresh.close()


def _prepared(fresh: Any) -> list[str]:
    with fresh.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
@pytest.mark.postgres
@pytest.mark.parametrize("fresh_connection", [{}], indirect=True)
def test_a_repeated_statement_is_prepared_once_and_answers_each_value(fresh_connection):
    with fresh_connection.cursor() as cursor:
        assert not isinstance(cursor.cursor, psycopg.ClientCursor)  # bound on the server
        cursor.execute(REPEATED, [1])
        assert cursor.fetchone() == (2,)
        assert AS_PREPARED not in _prepared(fresh_connection)  # once: not worth preparing
        for value in (41, 99):
            cursor.execute(REPEATED, [value])
            assert cursor.fetchone() == (value + 1,)
    assert _prepared(fresh_connection).count(AS_PREPARED) == 1


@pytest.mark.django_db
@pytest.mark.postgres
@pytest.mark.parametrize("fresh_connection", [{"VIGIL_PG_PREPARE": "0"}], indirect=True)
def test_switched_off_nothing_is_prepared(fresh_connection):
    with fresh_connection.cursor() as cursor:
        for value in (1, 41, 99):
            cursor.execute(REPEATED, [value])
            assert cursor.fetchone() == (value + 1,)
        # Django's default: values written into the statement on the client side.
        assert isinstance(cursor.cursor, psycopg.ClientCursor)
    with fresh_connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone() == (0,)


@pytest.mark.django_db
@pytest.mark.postgres
def test_the_settings_follow_the_switch():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (VIGIL_DATABASE_URL)")
    options = settings.DATABASES[DEFAULT_DB_ALIAS]["OPTIONS"]
    wanted = prepared_wanted(os.environ)
    assert options.get("server_side_binding", False) is wanted
    assert (options.get("prepare_threshold") is not None) is wanted


@pytest.mark.django_db
@pytest.mark.postgres
@pytest.mark.parametrize("fresh_connection", [{}], indirect=True)
def test_a_statement_with_more_values_than_the_protocol_binds_still_answers(fresh_connection):
    many = list(range(1, 70_002))  # more than 65,535: refused if bound on the server
    with fresh_connection.cursor() as cursor:
        placeholders = ", ".join(["%s"] * len(many))
        for _ in range(2):  # the second time too: never prepared
            cursor.execute(
                f"SELECT count(*) FROM generate_series(1, 3) AS n WHERE n IN ({placeholders})", many
            )
            assert cursor.fetchone() == (3,)
    assert not any("generate_series" in s for s in _prepared(fresh_connection))
