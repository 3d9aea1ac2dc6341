"""Settings of each PostgreSQL session Vigil opens (primary and replica).

JIT compilation off unless ``VIGIL_PG_JIT=1``: PostgreSQL compiles a statement whose estimated
cost passes ``jit_above_cost`` with LLVM, and Vigil's policy-checked statements (nested
EXISTS probes, ORs of subqueries) reach those estimates while reading a handful of rows. At
100k persons one profile's drafts-menu question cost 6.9 s of LLVM compilation for 0.2 s of
work (1,203 functions, docs/benchmarks.md §4); the test clusters run without JIT for the same
reason. Vigil's pages are short reads by key, which JIT never pays back.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # settings import this module: no Django at import time
    from django.db.backends.base.base import BaseDatabaseWrapper

# Executions of one statement on a connection after which psycopg prepares it (server-side).
PREPARE_THRESHOLD = 1
# The most values one statement can carry bound on the server (the protocol counts them in 16
# bits); a statement with more has them written in on the client side, as Django's default does.
MAX_BOUND_PARAMETERS = 65535


def jit_wanted() -> bool:
    """Whether sessions keep the server's JIT setting (``VIGIL_PG_JIT=1``)."""
    return os.environ.get("VIGIL_PG_JIT", "") == "1"


def prepared_wanted(environ: Mapping[str, str]) -> bool:
    """Whether statements are prepared once per connection (``VIGIL_PG_PREPARE``, on unless
    ``0``): off behind a pooler that does not keep a session's prepared statements."""
    return environ.get("VIGIL_PG_PREPARE", "1") != "0"


def connection_options(environ: Mapping[str, str]) -> dict[str, Any]:
    """The ``OPTIONS`` of a PostgreSQL database: server-side binding with psycopg's automatic
    preparation, or Django's default (client-side binding, nothing prepared) when switched off."""
    if not prepared_wanted(environ):
        return {}
    return {"server_side_binding": True, "prepare_threshold": PREPARE_THRESHOLD}


@functools.cache
def bound_cursor_class() -> type:
    """Django's server-binding cursor, except that a statement with more values than the
    protocol can bind (a long ``IN`` list, a large ``bulk_create``) is sent with its values
    written in on the client side, never prepared (Django 5.2 does not split such statements
    for PostgreSQL). Made once per process."""
    import psycopg
    from django.db.backends.postgresql import base as postgresql

    server_binding: Any = postgresql.ServerBindingCursor  # psycopg's Cursor with Django's mixin

    class BoundCursor(server_binding):  # type: ignore[misc]
        def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
            if params is not None and len(params) > MAX_BOUND_PARAMETERS:
                written = psycopg.ClientCursor(self.connection).mogrify(query, params)
                return super().execute(written, None, prepare=False)
            return super().execute(query, params, **kwargs)

    return BoundCursor


def configure_session(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created`` receiver: the session's settings on a new PostgreSQL connection.
    The raw driver's cursor: a session setting, not a query of the page (query counts and
    logs leave it out)."""
    if connection.vendor != "postgresql":
        return
    if connection.settings_dict.get("OPTIONS", {}).get("server_side_binding") is True:
        connection.connection.cursor_factory = bound_cursor_class()
    if jit_wanted():
        return
    with connection.connection.cursor() as cursor:
        cursor.execute("SET jit = off")

