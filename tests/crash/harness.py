"""Real `vigil` processes on a throwaway installation, for the kill -9 tests.

An installation is a fresh data folder and a fresh database: encrypted SQLite inside the
folder, or a new database on the PostgreSQL server the test run is configured for. Given the
run's template (the ``installation_template`` fixture), a fresh installation is a copy of one
`vigil init` made once per test process: its own folder and database, holding the same key and
secret values as the run's other copies (the audit signing key is made by each on first use).
Every command runs in its own process, as an operator's would.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.conftest import keyfile_env

# Printed by `vigil shell -c PROBE` as one JSON line: whether the database opens and is intact,
# the number of rows of every record table, and the audit log's own verification.
PROBE = """
import json
from django.apps import apps
from django.db import connection
from vigil.audit.verify import verify_log

if connection.vendor == "sqlite":
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        integrity = [row[0] for row in cursor.fetchall()]
else:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        integrity = ["ok"] if cursor.fetchone() == (1,) else ["no answer"]
counts = {
    model._meta.label: model._base_manager.count()
    for model in apps.get_models()
    if model._meta.app_label in ("records", "core")
}
try:
    verify_log()
    audit = "ok"
except Exception as exc:
    audit = f"{type(exc).__name__}: {exc}"
print(json.dumps({"integrity": integrity, "counts": counts, "audit": audit}))
"""


@dataclass
class Probe:
    """What `PROBE` saw."""

    integrity: list[str]
    counts: dict[str, int]
    audit: str


@dataclass
class Installation:
    """A data folder and its database, and the environment of a shell that uses them."""

    data_dir: Path
    database_url: str = ""
    env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        env = keyfile_env(self.data_dir)
        env.update(VIGIL_SECURE_COOKIES="0", DJANGO_SETTINGS_MODULE="vigil.settings")
        if self.database_url:
            env["VIGIL_DATABASE_URL"] = self.database_url
        self.env = env

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "vigil", *args]

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """Run `vigil ARGS` to the end in a separate process."""
        return subprocess.run(  # noqa: S603 - fixed argv
            self.argv(*args),
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def ok(self, *args: str) -> str:
        """Run `vigil ARGS`, require exit 0 and return its standard output."""
        done = self.run(*args)
        assert done.returncode == 0, f"vigil {' '.join(args)}: {done.stderr[-2000:]}"
        return done.stdout

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        """Start `vigil ARGS` in its own process group (so that kill -9 reaches its children)."""
        return subprocess.Popen(  # noqa: S603 - fixed argv
            self.argv(*args),
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def stored_bytes(self) -> int:
        """The database's size on disk: the SQLite file and its write-ahead log (which holds
        the pages of a transaction not yet committed), or PostgreSQL's database size (heap
        and index files grow as rows are inserted, committed or not)."""
        if not self.database_url:
            total = 0
            for name in ("vigil.db", "vigil.db-wal", "vigil.db-journal"):
                try:
                    total += (self.data_dir / name).stat().st_size
                except FileNotFoundError:  # no log yet, or removed as the import ends
                    pass
            return total
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as db:
            row = db.execute("SELECT pg_database_size(current_database())").fetchone()
        return int(row[0]) if row else 0

    def shell(self, code: str) -> str:
        """The last line `vigil shell -c CODE` printed."""
        return self.ok("shell", "-c", code).strip().splitlines()[-1]

    def probe(self) -> Probe:
        return Probe(**json.loads(self.shell(PROBE)))


def wait_for_growth(
    installation: Installation,
    process: subprocess.Popen[bytes],
    size: int,
    seconds: float = 600,
) -> int | None:
    """Wait until the database holds at least ``size`` bytes; return its size then, or None
    when ``process`` ended first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return None
        stored = installation.stored_bytes()
        if stored >= size:
            return stored
        time.sleep(0.05)
    raise AssertionError(f"the database did not grow to {size} bytes within {seconds} s")


def kill9(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process and every process of its group (gunicorn's master and workers)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=30)


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (gunicorn's workers of a master), from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # "pid (comm) state ppid ...": comm may hold spaces, so split after the last ')'.
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float = 120) -> None:
    """Wait until something listens on the loopback ``port``; fail if ``process`` ends first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        if process.poll() is not None:
            raise AssertionError(f"the server ended with exit code {process.returncode}")
        time.sleep(0.1)
    raise AssertionError(f"nothing listened on port {port} within {seconds} s")


def _server_url(params: dict[str, object]) -> str:
    user = params.get("user") or ""
    password = f":{params['password']}" if params.get("password") else ""
    host = params.get("host") or "localhost"
    port = f":{params['port']}" if params.get("port") else ""
    return f"postgres://{user}{password}@{host}{port}/postgres"


class Installations:
    """Fresh installations on the database the test run is configured for (dropped at the end).

    With a ``template`` (the ``installation_template`` fixture), a fresh installation is a copy
    of it, folder and database, instead of a `vigil init` of its own (about 8 s of CPU each)."""

    def __init__(self, root: Path, template: Installation | None = None) -> None:
        from django.db import connection

        self.root = root
        self.template = template
        self.postgres = connection.vendor == "postgresql"
        self.server = _server_url(connection.get_connection_params()) if self.postgres else ""
        self.databases: list[str] = []

    def _database(self, template: str = "") -> str:
        import psycopg

        name = f"vigil_crash_{secrets.token_hex(4)}"
        clause = f' TEMPLATE "{template}"' if template else ""
        with psycopg.connect(self.server, autocommit=True) as admin:
            for attempt in range(50):
                try:
                    admin.execute(f'CREATE DATABASE "{name}"{clause}')
                    break
                except psycopg.errors.ObjectInUse:
                    # The last process on the template has ended, but its server backend may
                    # not have yet: PostgreSQL copies only a database no one is connected to.
                    if attempt == 49:
                        raise
                    time.sleep(0.1)
        self.databases.append(name)
        return urlunsplit(urlsplit(self.server)._replace(path=f"/{name}"))

    def fresh(self, name: str) -> Installation:
        """A new installation with an empty database: a copy of the template when there is one,
        else `vigil init` in a new data folder with a new database."""
        if self.template is not None:
            return self.clone(self.template, name)
        url = self._database() if self.postgres else ""
        installation = Installation(self.root / name, url)
        installation.ok("init")
        return installation

    def clone(self, original: Installation, name: str) -> Installation:
        """A copy of ``original`` (folder and database), which must not be in use."""
        shutil.copytree(original.data_dir, self.root / name)
        url = ""
        if self.postgres:
            url = self._database(template=urlsplit(original.database_url).path.lstrip("/"))
        return Installation(self.root / name, url)

    def drop(self) -> None:
        if not self.databases:
            return
        import psycopg

        with psycopg.connect(self.server, autocommit=True) as admin:
            for name in self.databases:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def installations(root: Path, template: Installation | None = None) -> Iterator[Installations]:
    made = Installations(root, template)
    try:
        yield made
    finally:
        made.drop()


@contextmanager
def template_installation(root: Path, initialised: Callable[[], Path]) -> Iterator[Installation]:
    """The run's empty installation that ``Installations.fresh`` copies, on the database the run
    is configured for: on SQLite the folder ``initialised()`` returns (the ``initialised_data``
    fixture's); on PostgreSQL a folder in ``root`` and a database, made by one `vigil init`,
    the database dropped when the context ends. Never used itself: only copied."""
    made = Installations(root)
    if not made.postgres:
        yield Installation(initialised())
        return
    try:
        yield made.fresh("template")
    finally:
        made.drop()
