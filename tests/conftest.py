"""Shared fixtures: the real data folder, change contexts, fictional users and signed-in clients.

A folder's conftest overrides a fixture here to parameterise it (``user_prefix`` and
``extra_users`` name its users). Every test hashes passwords with MD5 (the autouse ``hashers``);
a module about hashing overrides ``hashers`` to keep Argon2id.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from hypothesis import settings

from tests import fast_flush
from vigil.accounts.models import User
from vigil.accounts.testing import login_verified
from vigil.core.context import ChangeContext, change_context
from vigil.records.models import Term

ROOT = Path(__file__).resolve().parent.parent

# The suite writes bytecode beside the sources (Python's default; .gitignore leaves it out) even
# where the environment asks not to: container images often set PYTHONDONTWRITEBYTECODE=1, and
# then every pytest-xdist worker compiles and rewrites the asserts of all 600 test modules on
# every run (collection 15 s of CPU a worker instead of 7) and every `vigil` process a test
# starts compiles Vigil again. Set here, before collection and before the workers start (they
# and every process a test starts inherit the environment).
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

# Property tests check behaviour, not speed: on a 2-core machine shared by pytest-xdist workers a
# 200 ms per-example deadline fails at random (tests/counting/test_table.py did in a full run).
settings.register_profile("vigil", deadline=None)
settings.load_profile("vigil")

# Transactional tests (live servers, browsers, real commits) end with a flush that deletes the
# rows left and writes back what an empty installation holds, instead of Django's TRUNCATE of
# every table and post_migrate (tests/fast_flush.py): 0.7-1.5 s per test less on PostgreSQL.
fast_flush.install()


def shared_data_dir() -> Path | None:
    """The folder of real sample data (`VIGIL_SAMPLE_DATA`, default ../shared/data), if present."""
    configured = os.environ.get("VIGIL_SAMPLE_DATA")
    path = Path(configured) if configured else ROOT.parent / "shared" / "data"
    return path if path.is_dir() else None


def _db_group(item: pytest.Item) -> int:
    """pytest-django's order group: 0 rolled back, 1 transactional (flushes), 2 no database."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", [])
    if (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))) or (
        "transactional_db" in fixtures or "live_server" in fixtures
    ):
        return 1
    return 0 if marker or "db" in fixtures else 2


def _quick(item: pytest.Item) -> bool:
    return not (item.get_closest_marker("slow") or item.get_closest_marker("browser"))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow and browser tests first within each of pytest-django's groups (it runs rolled-back
    tests before those that flush the database: that order is kept), so that pytest-xdist hands
    the long tests out early and no worker is left running one alone at the end of the run.
    Only runs of neighbours in one group are reordered, so a test never crosses a group."""
    start = 0
    for end in range(1, len(items) + 1):
        if end == len(items) or _db_group(items[end]) != _db_group(items[start]):
            items[start:end] = sorted(items[start:end], key=_quick)
            start = end


def child_env() -> dict[str, str]:
    """This process's environment without Vigil's settings, for a `vigil` process a test starts.
    The run's one static folder stays (``static_root``): collecting it costs 17 s."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("VIGIL_") or k == "VIGIL_STATIC_ROOT"
    }


# What a data folder holds beside a closed SQLite database only while it is open or was not
# closed cleanly; a copy of a folder holding one would be a copy of a half-written database.
OPEN_DATABASE_FILES = ("vigil.db-wal", "vigil.db-shm", "vigil.db-journal")


def keyfile_env(data_dir: Path) -> dict[str, str]:
    """``child_env()`` for a `vigil` process on a keyfile installation in ``data_dir``
    (encrypted SQLite), running the code under test."""
    import vigil

    env = child_env()
    env.pop("PYTEST_XDIST_WORKER", None)
    env.update(
        VIGIL_DATA_DIR=str(data_dir),
        VIGIL_KEY_SOURCE="keyfile",
        VIGIL_ALLOW_KEYFILE="1",
        PYTHONPATH=str(Path(vigil.__file__).resolve().parent.parent),
    )
    return env


@pytest.fixture(scope="session")
def initialised_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder `vigil init` made once per test process (keyfile, encrypted SQLite): the
    source of ``copy_installation``, never used itself. `vigil init` costs about 8 s of CPU (a
    process start and 54 migrations); a test whose subject is not `init` copies this instead.

    Every copy made in one run holds the same values of the database key (``vigil.key``) and the
    web secret (``secret_key``): each copy is still its own installation (its own folder and
    database file), but they are not independent secrets, so a test about keys or about `init`
    itself runs the real `vigil init` (tests/core/test_init_command.py, tests/surface/
    test_deploy.py, the passphrase drill in tests/backup/test_backup_restore.py). The audit
    signing key is not made by `init`: each copy makes its own on first use."""
    folder = tmp_path_factory.mktemp("initialised") / "data"
    done = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "vigil", "init"],
        env=keyfile_env(folder),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"vigil init: {done.stderr[-2000:]}"
    left = [name for name in OPEN_DATABASE_FILES if (folder / name).exists()]
    assert not left, f"vigil init left {left}: its database was not closed and checkpointed"
    return folder


def copy_installation(initialised: Path, data_dir: Path) -> Path:
    """A new installation in ``data_dir`` (which must not exist): a copy of ``initialised``
    (the ``initialised_data`` fixture's folder), with its modes (0700 folder, 0600 files, as
    `vigil init` makes them). The source must hold a closed database (no write-ahead log)."""
    left = [name for name in OPEN_DATABASE_FILES if (initialised / name).exists()]
    assert not left, f"{initialised} holds {left}: it is in use, not a closed installation"
    shutil.copytree(initialised, data_dir)  # copy2: contents, modes and times
    return data_dir


@pytest.fixture(scope="session")
def installation_template(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Any]:
    """The empty installation tests/crash/harness.py's ``Installations.fresh`` copies, once per
    test process, on the database the run is configured for: on SQLite ``initialised_data``;
    on PostgreSQL a folder and a database made by one `vigil init`, which each fresh
    installation clones (``CREATE DATABASE ... TEMPLATE``); the template database is dropped
    when the session ends. The copies share key and secret values as ``initialised_data``'s do."""
    from tests.crash.harness import template_installation

    root = tmp_path_factory.mktemp("template")
    with template_installation(root, lambda: request.getfixturevalue("initialised_data")) as made:
        yield made


@pytest.fixture(scope="session", autouse=True)
def static_root(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """One STATIC_ROOT for every `vigil serve` the run starts, shared by the xdist workers:
    the first server collects, the others find it current (core/static_files.py)."""
    base = tmp_path_factory.getbasetemp()
    folder = (base if worker_id == "master" else base.parent) / "static"
    os.environ["VIGIL_STATIC_ROOT"] = str(folder)
    return folder


@pytest.fixture
def shared_data() -> Path:
    """Path to the real sample data; the test is skipped with a clear message when absent."""
    path = shared_data_dir()
    if path is None:
        pytest.skip("sample data folder not found (set VIGIL_SAMPLE_DATA to ../shared/data)")
    return path


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Give the encrypted test database its own key (each run has its own data folder)."""
    from django.conf import settings

    from vigil.core.keys import create_key_file

    key = Path(settings.KEY_FILE)
    if not key.exists():  # the master key also wraps field keys on PostgreSQL
        create_key_file(key)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """pytest-django's test databases, and before they are dropped on PostgreSQL a warning that
    names any other session still connected to them (CI's PostgreSQL half has warned "database
    … is being accessed by other users" at teardown without saying whose session it was)."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    import threading
    import warnings

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, application_name, client_port, backend_start, state, left(query, 160)"
            " FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        )
        others = cursor.fetchall()
    if others:
        threads = ", ".join(sorted(t.name for t in threading.enumerate()))
        warnings.warn(
            f"sessions still connected to the test database at teardown: {others!r};"
            f" this process's threads: {threads}",
            stacklevel=1,
        )


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """Leave the thread in the default language: a request in Russian must not leak into the
    next test (Django's LocaleMiddleware activates a language and leaves it active)."""
    yield
    from django.utils import translation

    translation.activate("en")


@pytest.fixture(autouse=True)
def _fresh_filter_options():
    """Forget the filter pickers' cached options: each test's database starts anew (a rollback
    sends no signal that would clear them)."""
    yield
    from vigil.web.filters import forget_options

    forget_options()


ROLES = ("admin", "coordinator", "analyst", "documenter", "viewer")
PASSWORD = "fictional-pass-Phrase-42"  # noqa: S105 - test-only credential


def term(vocabulary: str, key: str) -> str:
    """The id of the term ``key`` of ``vocabulary``."""
    return Term.pk_for(vocabulary, key)


def make_user(role: str, name: str | None = None, *, password: str | None = None) -> User:
    """A saved active user with ``role`` (named ``fictional-<role>`` unless told otherwise)."""
    return User.objects.create_user(
        username=name or f"fictional-{role}", password=password, role=role, is_active=True
    )


def as_user(user: User, detail: str = "tests") -> Any:
    """A test change context acting as ``user`` (so records are created by them)."""
    return change_context("test", actor=user, detail=detail)


def stepped_up(user: User) -> Any:
    """A request-like object whose session passed 2FA just now."""
    from vigil.accounts.sessions import VERIFIED_AT

    return SimpleNamespace(user=user, session={VERIFIED_AT: time.time()})


def stale(user: User) -> Any:
    """A request-like object whose last 2FA check was an hour ago."""
    from vigil.accounts.sessions import VERIFIED_AT

    return SimpleNamespace(user=user, session={VERIFIED_AT: time.time() - 3600})


@pytest.fixture
def fast_password_hashing(settings: Any) -> None:
    """Argon2 is deliberately slow; a test that is not about hashing hashes with MD5."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def hashers(fast_password_hashing: None) -> None:
    """Every test hashes with MD5 unless its module is about hashing: an Argon2id hash costs
    about 0.37 s of CPU here (the project's parameters), and ``admin_user``, ``viewer`` and
    every sign-in with a password paid it in each folder that had not asked for MD5 (api,
    policy, alerts, evidence, i18n ...). A module that checks the real hasher overrides this
    fixture with one that does not request ``fast_password_hashing`` (accounts/test_passwords.py,
    accounts/test_timing.py)."""


@pytest.fixture
def ctx(db: Any, request: pytest.FixtureRequest) -> Iterator[ChangeContext]:
    """Changes made under a test context with no actor (detail: the test folder)."""
    folder = request.node.path.parent.name
    with change_context("test", detail=f"{folder} tests") as c:
        yield c


@pytest.fixture
def user_prefix() -> str:
    """How the ``users`` fixture's usernames start (a folder may override it)."""
    return "fictional-"


@pytest.fixture
def extra_users() -> dict[str, str]:
    """Users beyond one per role, as {key: role} (a folder may override it)."""
    return {}


@pytest.fixture
def users(db: Any, user_prefix: str, extra_users: dict[str, str]) -> dict[str, User]:
    """One active user per role, plus ``extra_users``, usernames visibly fictional."""
    found = {role: make_user(role, f"{user_prefix}{role}") for role in ROLES}
    for key, role in extra_users.items():
        found[key] = make_user(role, f"{user_prefix}{key}")
    return found


@pytest.fixture
def analyst(db: Any) -> User:
    """A fictional analyst: the acting user of the services under test."""
    return User.objects.get_or_create(username="fictional-analyst", defaults={"role": "analyst"})[0]


@pytest.fixture
def password() -> str:
    """The password of every signed-in test user."""
    return PASSWORD


@pytest.fixture
def viewer(db: Any) -> User:
    """A user with the viewer role: internal records only."""
    return make_user("viewer", password=PASSWORD)


@pytest.fixture
def viewer_client(client: Client, viewer: User) -> Client:
    """A test client signed in (with 2FA) as the viewer."""
    return login_verified(client, viewer)


@pytest.fixture
def admin_user(db: Any) -> User:
    """An administrator and superuser of the fictional organisation: every level."""
    return User.objects.create_superuser(
        username="fictional-admin", password=PASSWORD, email="admin@example.org", role="admin"
    )


@pytest.fixture
def admin_client(client: Client, admin_user: User) -> Client:
    """A test client signed in (with 2FA) as the administrator."""
    return login_verified(client, admin_user)
