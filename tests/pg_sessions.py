"""A PostgreSQL session of its own beside the test's connection: to the test database or to
another database of the same cluster (tests of what other sessions and databases do)."""

from __future__ import annotations

from typing import Any

import psycopg
from django.db import connection


def session_params(database: str | None = None) -> dict[str, Any]:
    """psycopg's connection arguments for the test's server and ``database`` (the test
    database by default)."""
    settings = connection.settings_dict
    params = {
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
        "dbname": database or settings["NAME"],
    }
    return {k: v for k, v in params.items() if v}


def other_session(database: str | None = None, **options: Any) -> psycopg.Connection[Any]:
    """A new session to ``database`` (the test database by default); close it (``with``)."""
    return psycopg.connect(**session_params(database), **options)
