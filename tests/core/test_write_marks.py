"""The SQLite backend's write marks (``vigil.core.db.write_marks``): after each statement that
writes a watched table — itself, through a trigger or through a foreign-key action — the
registered mark is written on the same connection, in the writer's transaction; a write in
autocommit mode commits with its mark or not at all. Plain connections of the backend on a
throwaway file (no Django database), so these run whichever database the suite uses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlcipher3 import dbapi2 as Database

from vigil.core.db import write_marks
from vigil.core.db.sqlcipher.base import MarkedConnection, MarkedCursor

MARK = "UPDATE test_mark SET n = n + 1, token = random() WHERE rowid = 1"


@pytest.fixture
def marked(tmp_path: Path) -> Iterator[Any]:
    write_marks.watch_writes(["test_watched"], MARK)
    path = tmp_path / "marks.db"
    first = _connect(path)
    first.executescript(
        """
        CREATE TABLE test_mark (n integer NOT NULL, token integer NOT NULL);
        INSERT INTO test_mark (rowid, n, token) VALUES (1, 0, 0);
        CREATE TABLE test_parent (id integer PRIMARY KEY);
        CREATE TABLE test_watched (
            id integer PRIMARY KEY, name text NOT NULL UNIQUE,
            parent_id integer REFERENCES test_parent (id) ON DELETE CASCADE
        );
        CREATE TABLE test_other (id integer PRIMARY KEY, name text NOT NULL);
        INSERT INTO test_parent (id) VALUES (1);
        """
    )
    try:
        yield first, path
    finally:
        first.close()
        write_marks.unwatch(MARK)


def _connect(path: Path) -> Any:
    conn = Database.connect(str(path), factory=MarkedConnection, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    return conn


def _cursor(conn: Any) -> Any:
    return conn.cursor(factory=MarkedCursor)


def mark(conn: Any) -> tuple[int, int]:
    return tuple(Database.Cursor(conn).execute("SELECT n, token FROM test_mark").fetchone())


def test_a_write_in_a_transaction_carries_its_mark_and_a_rollback_takes_it_back(marked):
    conn, _ = marked
    cursor = _cursor(conn)
    before = mark(conn)
    cursor.execute("BEGIN IMMEDIATE")
    cursor.execute("INSERT INTO test_watched (name) VALUES (?)", ("a",))
    inside = mark(conn)
    assert inside[0] == before[0] + 1
    cursor.execute("ROLLBACK")
    assert mark(conn) == before
    cursor.execute("BEGIN IMMEDIATE")
    cursor.execute("INSERT INTO test_watched (name) VALUES (?)", ("a",))
    cursor.execute("COMMIT")
    after = mark(conn)
    assert after[0] == inside[0] and after != inside  # the rolled-back token is not seen again


def test_reads_unwatched_writes_and_writes_of_no_row_leave_the_mark(marked):
    conn, _ = marked
    cursor = _cursor(conn)
    before = mark(conn)
    cursor.execute("SELECT * FROM test_watched").fetchall()
    cursor.execute("INSERT INTO test_other (name) VALUES ('x')")
    cursor.execute("UPDATE test_watched SET name = 'y' WHERE id = -1")
    cursor.executemany("INSERT INTO test_watched (name) VALUES (?)", [])
    assert mark(conn) == before


def test_each_statement_that_writes_adds_one_mark_remembered_or_compiled(marked):
    conn, _ = marked
    cursor = _cursor(conn)
    n = mark(conn)[0]
    for name in ("a", "b", "c"):  # compiled once, then reused from the driver's cache
        cursor.execute("INSERT INTO test_watched (name) VALUES (?)", (name,))
    cursor.executemany("UPDATE test_watched SET name = name || ? WHERE name = ?", [("1", "a")] * 2)
    cursor.execute("DELETE FROM test_watched WHERE name = 'b'")
    assert mark(conn)[0] == n + 5


def test_a_write_through_a_trigger_or_a_cascade_is_marked(marked):
    conn, _ = marked
    cursor = _cursor(conn)
    cursor.execute("INSERT INTO test_watched (name, parent_id) VALUES ('child', 1)")
    n = mark(conn)[0]
    cursor.execute("DELETE FROM test_parent WHERE id = 1")  # cascades to test_watched
    assert mark(conn)[0] == n + 1
    assert cursor.execute("SELECT count(*) FROM test_watched").fetchone() == (0,)
    cursor.execute(
        "CREATE TEMP TRIGGER test_copy AFTER INSERT ON test_other"
        " BEGIN INSERT INTO test_watched (name) VALUES (NEW.name); END"
    )
    cursor.execute("INSERT INTO test_other (name) VALUES ('copied')")
    assert mark(conn)[0] == n + 2


def test_an_autocommit_write_commits_with_its_mark_and_returns_its_rows(marked):
    conn, path = marked
    cursor = _cursor(conn)
    other = _connect(path)
    try:
        n = mark(other)[0]
        cursor.execute("INSERT INTO test_watched (name) VALUES ('r') RETURNING id, name")
        assert not conn.in_transaction
        assert cursor.fetchall() == [(1, "r")]
        assert mark(other)[0] == n + 1  # committed: another connection sees it
        with pytest.raises(Database.IntegrityError):
            cursor.execute("INSERT INTO test_watched (name) VALUES ('r')")  # not unique
        assert not conn.in_transaction
        assert mark(other)[0] == n + 1  # neither the row nor its mark
        cursor.execute("UPDATE test_watched SET name = 's' RETURNING name")
        assert cursor.fetchone() == ("s",)
        assert cursor.fetchone() is None
        assert mark(other)[0] == n + 2
    finally:
        other.close()


def test_a_statement_the_driver_compiled_unseen_is_taken_to_write(marked):
    conn, _ = marked
    sql = "INSERT INTO test_watched (name) VALUES (?)"
    Database.Cursor(conn).execute(sql, ("plain",))  # compiled and cached, no mark
    n = mark(conn)[0]
    _cursor(conn).execute(sql, ("marked",))
    assert mark(conn)[0] == n + 1


def test_another_connections_write_moves_the_mark_this_one_reads(marked):
    conn, path = marked
    other = _connect(path)
    try:
        before = mark(conn)
        _cursor(other).execute("INSERT INTO test_watched (name) VALUES ('elsewhere')")
        assert mark(conn)[0] == before[0] + 1
    finally:
        other.close()


def test_a_write_in_the_drivers_own_transaction_is_marked_in_it(marked):
    """Django's ``set_autocommit(False)``: the driver begins a transaction itself before a
    write (compiling its own ``BEGIN``); the mark is written in it and goes with a rollback."""
    conn, _ = marked
    cursor = _cursor(conn)
    before = mark(conn)
    conn.isolation_level = ""
    try:
        cursor.execute("INSERT INTO test_watched (name) VALUES ('legacy')")
        assert conn.in_transaction
        assert mark(conn)[0] == before[0] + 1
        conn.rollback()
        assert mark(conn) == before
        cursor.execute("INSERT INTO test_watched (name) VALUES ('legacy')")
        conn.commit()
        assert mark(conn)[0] == before[0] + 1
    finally:
        conn.isolation_level = None


def test_a_script_that_writes_a_watched_table_is_marked_after_it(marked):
    conn, _ = marked
    n = mark(conn)[0]
    _cursor(conn).executescript("INSERT INTO test_other (name) VALUES ('s');")
    assert mark(conn)[0] == n
    _cursor(conn).executescript("INSERT INTO test_watched (name) VALUES ('s');")
    assert mark(conn)[0] == n + 1


def test_an_autocommit_write_whose_mark_fails_is_not_committed(marked):
    """The write and its mark are one transaction: the mark cannot be lost after the write."""
    conn, path = marked
    failing = "UPDATE test_mark SET n = NULL WHERE rowid = 1"  # NOT NULL: fails
    write_marks.watch_writes(["test_other"], failing)
    other = _connect(path)
    try:
        with pytest.raises(Database.IntegrityError):
            _cursor(conn).execute("INSERT INTO test_other (name) VALUES ('lost')")
        assert not conn.in_transaction
        assert Database.Cursor(other).execute("SELECT count(*) FROM test_other").fetchone() == (0,)
    finally:
        write_marks.unwatch(failing)
        other.close()
