"""PostgreSQL's client tools (pg_dump, pg_restore) run against Django's database connection."""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections

from vigil.backup.manifest import BackupInvalid

_VERSION = re.compile(r"/postgresql/(\d+)(?:\.(\d+))?/bin$")


def _version_of(folder: str) -> tuple[int, ...]:
    found = _VERSION.search(folder)
    return tuple(int(x or 0) for x in found.groups()) if found else ()


def find_tool(name: str) -> str:
    """The newest ``/usr/lib/postgresql/N/bin/NAME`` (as scripts/pg-throwaway finds the server),
    else ``NAME`` on PATH; BackupInvalid when neither exists."""
    folders = [f for f in glob.glob("/usr/lib/postgresql/*/bin") if _VERSION.search(f)]
    folders.sort(key=_version_of)
    for folder in reversed(folders):
        candidate = Path(folder) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise BackupInvalid(f"{name} is not installed; install PostgreSQL's client tools.")
    return found


def connection_argv(alias: str = DEFAULT_DB_ALIAS) -> tuple[list[str], dict[str, str], str]:
    """Host/port/user flags, the environment (password) and the database name of Django's
    connection ``alias`` (the primary unless told), for pg_dump and pg_restore (the password
    never reaches the command line)."""
    connection = connections[alias]
    params: dict[str, Any] = connection.get_connection_params()
    env = dict(os.environ)
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    argv = []
    for flag, key in (("--host", "host"), ("--port", "port"), ("--username", "user")):
        if params.get(key):
            argv.append(f"{flag}={params[key]}")
    dbname = str(params.get("dbname") or connection.settings_dict["NAME"])
    return argv, env, dbname


def row_counts(cursor: Any) -> dict[str, int]:
    """Rows per base table of the current schema, through an open cursor."""
    cursor.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
    )
    counts = {}
    for (name,) in cursor.fetchall():
        quoted = '"' + name.replace('"', '""') + '"'
        # nosec B608: the table name comes from the catalogue and is quoted.
        cursor.execute(f"SELECT count(*) FROM {quoted}")  # noqa: S608  # nosec B608
        counts[name] = cursor.fetchone()[0]
    return counts


def existing_tables(names: set[str]) -> list[str]:
    """Which of ``names`` already exist as tables in the connected database's schema."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() ORDER BY 1"
        )
        return [name for (name,) in cursor.fetchall() if name in names]


def check_dump(dump: Path) -> None:
    """pg_restore can read the dump's table of contents."""
    done = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [find_tool("pg_restore"), "--list", str(dump)], capture_output=True, check=False
    )
    if done.returncode != 0:
        raise BackupInvalid("The PostgreSQL dump in the backup is not readable by pg_restore.")


def restore_dump(dump: Path) -> None:
    """Load ``dump`` into the (empty) connected database in one transaction: all or nothing."""
    flags, env, dbname = connection_argv()
    connection.close()  # pg_restore needs no competing session holding locks
    argv = [
        find_tool("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        *flags,
        f"--dbname={dbname}",
        str(dump),
    ]
    done = subprocess.run(argv, env=env, capture_output=True, check=False)  # noqa: S603
    if done.returncode != 0:
        # pg_restore's message names objects, not row contents: show its last line.
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = f": {lines[-1][:300]}" if lines else ""
        raise BackupInvalid(
            f"pg_restore failed (exit status {done.returncode}){reason}; the target database "
            "was left unchanged."
        )
