"""Django's SQLite backend on SQLCipher: every page of the database file is encrypted.

The key is read from a keyfile (``OPTIONS["key_file"]``) or given as raw bytes
(``OPTIONS["key"]``) and applied with ``PRAGMA key`` before any other statement. A wrong or
missing key fails closed with a clear message.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Mapping
from itertools import tee
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.backends.sqlite3 import base as sqlite_base
from django.db.backends.sqlite3._functions import register as register_functions
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from sqlcipher3 import dbapi2 as Database

from vigil.core.db import write_marks
from vigil.core.errors import DatabaseKeyError

Database.register_converter("bool", b"1".__eq__)
Database.register_converter("date", sqlite_base.decoder(parse_date))
Database.register_converter("time", sqlite_base.decoder(parse_time))
Database.register_converter("datetime", sqlite_base.decoder(parse_datetime))
Database.register_converter("timestamp", sqlite_base.decoder(parse_datetime))
Database.register_adapter(decimal.Decimal, str)
Database.register_adapter(datetime.date, sqlite_base.adapt_date)
Database.register_adapter(datetime.datetime, sqlite_base.adapt_datetime)


def read_key_file(path: Path) -> bytes:
    """Return the 32-byte raw key stored hex-encoded in ``path``."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError as exc:
        raise DatabaseKeyError(
            f"No database key at {path}. Run `vigil init` to create a database, "
            "or set VIGIL_KEYFILE to the key of an existing one."
        ) from exc
    try:
        key = bytes.fromhex(text)
    except ValueError as exc:
        raise DatabaseKeyError(f"The key file {path} is not a hex-encoded key.") from exc
    if len(key) != 32:
        raise DatabaseKeyError(f"The key file {path} must hold a 256-bit key.")
    return key


class DatabaseWrapper(sqlite_base.DatabaseWrapper):
    """SQLite wrapper whose connections are SQLCipher connections keyed before first use."""

    vendor = "sqlite"
    display_name = "SQLite (SQLCipher)"
    Database = Database

    def get_connection_params(self) -> dict[str, Any]:
        options = dict(self.settings_dict["OPTIONS"])
        key = options.pop("key", None)
        key_file = options.pop("key_file", None)
        self._pragmas = options.pop("pragmas", {})
        saved = self.settings_dict["OPTIONS"]
        self.settings_dict["OPTIONS"] = options
        try:
            params = super().get_connection_params()
        finally:
            self.settings_dict["OPTIONS"] = saved
        if key is None:
            if key_file is None:
                raise ImproperlyConfigured("The SQLCipher backend needs OPTIONS key or key_file.")
            key = read_key_file(Path(key_file))
        params["detect_types"] = Database.PARSE_DECLTYPES | Database.PARSE_COLNAMES
        params["factory"] = MarkedConnection
        self._raw_key = bytes(key)
        return params

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        conn = Database.connect(**conn_params)
        conn.execute(f"PRAGMA key = \"x'{self._raw_key.hex()}'\"")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except Database.DatabaseError as exc:
            conn.close()
            raise DatabaseKeyError(
                f"The database {conn_params['database']} cannot be opened with this key "
                "(wrong key, or not a Vigil database)."
            ) from exc
        register_functions(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA legacy_alter_table = OFF")
        for name, value in self._pragmas.items():
            conn.execute(f"PRAGMA {name} = {value}")
        # init_commands: set by Django's get_connection_params, absent from the stubs.
        for init_command in self.init_commands:  # type: ignore[attr-defined]
            if init_command := init_command.strip():
                conn.execute(init_command)
        # Keep the planner's statistics current (SQLite's advice for long-lived connections):
        # without them it sorted all 100,000 persons to show one page of the list.
        conn.execute("PRAGMA optimize=0x10002").fetchall()
        return conn

    def create_cursor(self, name: str | None = None) -> Any:
        return self.connection.cursor(factory=SQLCipherCursorWrapper)


# What the authorizer is told of a statement that writes a row.
_WRITES = frozenset({Database.SQLITE_INSERT, Database.SQLITE_UPDATE, Database.SQLITE_DELETE})
# Statements whose text may write a table (the first word): what a statement the driver had
# compiled before this connection's authorizer could see it is taken to do.
_MAY_WRITE = ("INSERT", "UPDATE", "DELETE", "REPLACE", "WITH")
# SQL texts that may write, remembered per connection: more than the driver's statement cache
# holds (128), so a statement the driver reuses without compiling it again is one remembered
# here (unless more than this many writing texts came since).
_KNOWN_MAX = 4096


def _may_write(sql: str) -> bool:
    return sql.lstrip()[:7].upper().startswith(_MAY_WRITE)


class WriteMarkState:
    """A connection's authorizer and what it has learnt: for each SQL text, the marks a run of
    it writes (``vigil.core.db.write_marks``)."""

    __slots__ = ("hit", "known", "seen")

    def __init__(self) -> None:
        self.known: dict[str, tuple[str, ...]] = {}
        self.seen = False
        self.hit: set[str] = set()

    def authorize(self, action: int, table: str | None, *_: Any) -> int:
        """SQLite's authorizer: called while a statement is compiled, for each table and column
        it touches (its triggers' and foreign-key actions' statements too). Allows all."""
        if action == Database.SQLITE_TRANSACTION:
            # BEGIN/COMMIT, also the one the driver compiles itself before a write when it is
            # not in autocommit mode: not the statement being run.
            return Database.SQLITE_OK  # type: ignore[no-any-return]
        self.seen = True
        if action in _WRITES and table in write_marks.watched():
            self.hit.add(table)
        return Database.SQLITE_OK  # type: ignore[no-any-return]

    def marks(self, sql: str) -> tuple[str, ...]:
        """The marks of the statement ``sql`` just run: what the authorizer saw when it was
        compiled now, or what was remembered (or, unknown, every mark if it may write)."""
        if self.seen:
            marks = write_marks.marks_for(self.hit) if self.hit else ()
            # Only a text that may write needs remembering (any other is known not to): not the
            # reads, nor the savepoints, whose names are new each time.
            if marks or _may_write(sql):
                if len(self.known) >= _KNOWN_MAX:
                    self.known.clear()
                self.known[sql] = marks
            return marks
        found = self.known.get(sql)
        if found is None:
            return write_marks.all_marks() if _may_write(sql) else ()
        return found


class MarkedConnection(Database.Connection):  # type: ignore[misc]  # sqlcipher3 is untyped
    """An SQLCipher connection whose cursors write the registered marks after each statement
    that writes a watched table (``vigil.core.db.write_marks``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.write_marks = WriteMarkState()
        self.set_authorizer(self.write_marks.authorize)


class MarkedCursor(Database.Cursor):  # type: ignore[misc]  # sqlcipher3 is untyped
    """A cursor that writes the marks of what its statements write, in their transaction.

    In a transaction (Django's ``atomic``, the driver's own ``BEGIN``) the mark follows the
    statement. In autocommit mode a statement that writes (or may write) a watched table is
    run inside ``BEGIN IMMEDIATE … COMMIT`` with its mark; rows it returns (``RETURNING``) are
    read before the commit and given from memory."""

    _rows: list[Any] | None = None

    def execute(self, sql: str, params: Any = ()) -> Any:
        return self._marked(Database.Cursor.execute, sql, params)

    def executemany(self, sql: str, param_list: Any) -> Any:
        return self._marked(Database.Cursor.executemany, sql, param_list)

    def executescript(self, script: str) -> Any:
        # The driver commits before a script and runs it statement by statement: each write's
        # mark cannot share its transaction; one mark after the script.
        state = self.connection.write_marks
        state.seen, state.hit = False, set()
        result = Database.Cursor.executescript(self, script)
        if state.hit:
            self._mark(write_marks.marks_for(state.hit))
        return result

    def _marked(self, run: Any, sql: str, params: Any) -> Any:
        conn = self.connection
        state: WriteMarkState = conn.write_marks
        self._rows = None
        wrap = False
        if conn.isolation_level is None and not conn.in_transaction:
            known = state.known.get(sql)
            wrap = bool(known) if known is not None else _may_write(sql)
        if wrap:
            Database.Cursor.execute(Database.Cursor(conn), "BEGIN IMMEDIATE")
        # What the authorizer says from here on is this statement's (compiled now or not).
        state.seen = False
        if state.hit:
            state.hit.clear()
        if not wrap:
            return self._run_and_mark(run, sql, params, state)
        try:
            result = self._run_and_mark(run, sql, params, state)
            if self.description is not None:
                self._rows = Database.Cursor.fetchall(self)
            Database.Cursor.execute(Database.Cursor(conn), "COMMIT")
        except BaseException:
            if conn.in_transaction:
                Database.Cursor.execute(Database.Cursor(conn), "ROLLBACK")
            raise
        return result

    def _run_and_mark(self, run: Any, sql: str, params: Any, state: WriteMarkState) -> Any:
        """Run the statement, then its marks when it changed a row or returned rows."""
        result = run(self, sql, params)
        marks = state.marks(sql)
        if marks and (self.rowcount != 0 or self.description is not None):
            self._mark(marks)
        return result

    def _mark(self, marks: tuple[str, ...]) -> None:
        cursor = Database.Cursor(self.connection)
        for mark in marks:
            try:
                Database.Cursor.execute(cursor, mark)
            except Database.OperationalError as exc:
                # Before the app's migration has made its table (or after it was undone).
                if "no such table" not in str(exc):
                    raise

    # Rows read before an autocommit write's COMMIT (``RETURNING``), then given from memory.
    def fetchone(self) -> Any:
        rows = self._rows
        if rows is None:
            return Database.Cursor.fetchone(self)
        return rows.pop(0) if rows else None

    def fetchmany(self, size: int | None = None) -> list[Any]:
        rows = self._rows
        if rows is None:
            if size is None:
                return Database.Cursor.fetchmany(self)  # type: ignore[no-any-return]
            return Database.Cursor.fetchmany(self, size)  # type: ignore[no-any-return]
        size = self.arraysize if size is None else size
        taken, self._rows = rows[:size], rows[size:]
        return taken

    def fetchall(self) -> list[Any]:
        rows = self._rows
        if rows is None:
            return Database.Cursor.fetchall(self)  # type: ignore[no-any-return]
        self._rows = []
        return rows

    def __iter__(self) -> Any:
        if self._rows is None:
            return self
        rows, self._rows = self._rows, []
        return iter(rows)


class SQLCipherCursorWrapper(MarkedCursor):
    """Django's format-style parameters on an SQLCipher cursor (as SQLiteCursorWrapper does)."""

    def execute(self, query: str, params: Any = None) -> Any:
        if params is None:
            return self._marked(Database.Cursor.execute, query, ())
        param_names = list(params) if isinstance(params, Mapping) else None
        return self._marked(
            Database.Cursor.execute, self.convert_query(query, param_names=param_names), params
        )

    def executemany(self, query: str, param_list: Any) -> Any:
        peekable, param_list = tee(iter(param_list))
        if (params := next(peekable, None)) and isinstance(params, Mapping):
            param_names = list(params)
        else:
            param_names = None
        return self._marked(
            Database.Cursor.executemany,
            self.convert_query(query, param_names=param_names),
            param_list,
        )

    convert_query = sqlite_base.SQLiteCursorWrapper.convert_query
