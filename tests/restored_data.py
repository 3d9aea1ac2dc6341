"""Data a module's transactional tests share: built by the first test, written back for the rest.

A transactional test (a live server, a browser) commits what it writes, and the database is
emptied after it (``tests/fast_flush.py``), so ``tests/module_data.py``'s one rolled-back
transaction per module does not apply. Here the first test that asks for a build (in each
process and database) runs it; the rows of every table that holds any afterwards are read as a
snapshot (the same ``Baseline`` the quick flush keeps: ``COPY`` text on PostgreSQL, values on
SQLite). Each later test that asks for it starts from the flushed database, and the snapshot
is written back instead of building again: every model table emptied, the snapshot's rows written,
in one transaction — the same rows, with the same ids, as the build wrote. Triggers run as for
any insert (the search index, the kept counts), and on PostgreSQL each restored table's id
sequence is moved past its largest id if it is behind.

``build`` returns what the tests need; it is returned again for each later test, so it should
hold ids and values, not model instances a test could change (re-read those in the fixture).
Files a build writes (evidence, exports) are not part of the snapshot: a build that writes
files must not use this.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import connections

from tests import fast_flush

T = TypeVar("T")

# (the build's module and name, database alias, database name) -> (snapshot, what it returned)
_built: dict[tuple[str, str, str, str], tuple[fast_flush.Baseline, Any]] = {}


def built_once(build: Callable[[], T], alias: str = "default") -> T:
    """``build()`` the first time it is asked for in this process and database; afterwards the
    rows it left are written back (whatever the database holds is replaced) and its value is
    returned again."""
    connection = connections[alias]
    key = (build.__module__, build.__qualname__, alias, str(connection.settings_dict["NAME"]))
    if key in _built:
        snapshot, value = _built[key]
        fast_flush.restore(connection, snapshot)
        return value  # type: ignore[no-any-return]
    value = build()
    tables = list(fast_flush.non_empty_tables(connection, fast_flush._tables(connection)))
    _built[key] = (fast_flush.Baseline(connection, tables), value)
    return value
