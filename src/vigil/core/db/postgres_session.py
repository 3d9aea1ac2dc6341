"""Settings of each PostgreSQL session Vigil opens (primary and replica).

JIT compilation off unless ``VIGIL_PG_JIT=1``: PostgreSQL compiles a statement whose estimated
cost passes ``jit_above_cost`` with LLVM, and Vigil's policy-checked statements (nested
EXISTS probes, ORs of subqueries) reach those estimates while reading a handful of rows. At
100k persons one profile's drafts-menu question cost 6.9 s of LLVM compilation for 0.2 s of
work (1,203 functions, docs/benchmarks.md §4); the test clusters run without JIT for the same
reason. Vigil's pages are short reads by key, which JIT never pays back.
"""

from __future__ import annotations

import os
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper


def jit_wanted() -> bool:
    """Whether sessions keep the server's JIT setting (``VIGIL_PG_JIT=1``)."""
    return os.environ.get("VIGIL_PG_JIT", "") == "1"


def configure_session(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created`` receiver: the session's settings on a new PostgreSQL connection.
    The raw driver's cursor: a session setting, not a query of the page (query counts and
    logs leave it out)."""
    if connection.vendor != "postgresql" or jit_wanted():
        return
    with connection.connection.cursor() as cursor:
        cursor.execute("SET jit = off")
