"""Marks written by Vigil's SQLite backend after each statement that writes a watched table.

An app registers the tables it watches and the statement that marks a write to them
(:func:`watch_writes`; ``records`` registers its change marks, :mod:`vigil.records.
count_changes`). On SQLite (``core.db.sqlcipher``) every connection has an authorizer that
SQLite calls while it compiles a statement, once for every table the statement, its triggers
and its foreign-key actions insert into, update or delete from; after a statement that writes
a watched table (and changed a row), the backend runs the table's mark on the same connection,
in the writer's transaction (a write in autocommit mode is put in a transaction with its mark).
PostgreSQL needs none of this: its marks are written by triggers.

Why not triggers on SQLite: any trigger makes each single-row write open a statement journal,
whose release inside a savepoint walks everything the savepoint has journaled (bulk writes
15-20 times slower; docs/benchmarks.md §4, "The home page on SQLite, fifteenth round").

Registrations are read when a connection compiles a statement: register in an app's
``ready()``, before any connection opens.
"""

from __future__ import annotations

from collections.abc import Iterable

_MARKS: dict[str, tuple[str, ...]] = {}


def watch_writes(tables: Iterable[str], mark: str) -> None:
    """After each statement that writes one of ``tables``, run ``mark`` (constant SQL: it must
    write one row in one pass, e.g. ``UPDATE t SET … WHERE rowid = 1``, so that it opens no
    statement journal of its own) on the writer's connection, in its transaction."""
    for table in tables:
        if mark not in _MARKS.get(table, ()):
            _MARKS[table] = (*_MARKS.get(table, ()), mark)


def unwatch(mark: str) -> None:
    """Stop running ``mark`` (for a test that shows what a missing mark breaks)."""
    for table, marks in list(_MARKS.items()):
        if kept := tuple(m for m in marks if m != mark):
            _MARKS[table] = kept
        else:
            del _MARKS[table]


def watched() -> dict[str, tuple[str, ...]]:
    """Each watched table and the marks a write to it runs (the registry itself: read only)."""
    return _MARKS


def marks_for(tables: Iterable[str]) -> tuple[str, ...]:
    """The marks to run after a statement that wrote ``tables`` (each once, in order)."""
    found: list[str] = []
    for table in tables:
        for mark in _MARKS.get(table, ()):
            if mark not in found:
                found.append(mark)
    return tuple(found)


def all_marks() -> tuple[str, ...]:
    """Every registered mark: what a write whose tables are unknown must run."""
    return marks_for(_MARKS)
