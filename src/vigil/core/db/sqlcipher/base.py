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


class SQLCipherCursorWrapper(Database.Cursor):  # type: ignore[misc]  # sqlcipher3 is untyped
    """Django's format-style parameters on an SQLCipher cursor (as SQLiteCursorWrapper does)."""

    def execute(self, query: str, params: Any = None) -> Any:
        if params is None:
            return super().execute(query)
        param_names = list(params) if isinstance(params, Mapping) else None
        return super().execute(self.convert_query(query, param_names=param_names), params)

    def executemany(self, query: str, param_list: Any) -> Any:
        peekable, param_list = tee(iter(param_list))
        if (params := next(peekable, None)) and isinstance(params, Mapping):
            param_names = list(params)
        else:
            param_names = None
        return super().executemany(self.convert_query(query, param_names=param_names), param_list)

    convert_query = sqlite_base.SQLiteCursorWrapper.convert_query
