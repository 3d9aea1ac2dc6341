"""A PostgreSQL read replica (VIGIL_DATABASE_REPLICA_URL): a real streaming standby, made from
the test's primary with ``pg_basebackup -R`` (scripts/pg-throwaway standby) on its own port.

Routed reads of the record run on the standby (``pg_is_in_recovery()`` is true on the very
query), writes and the policy's tables stay on the primary, a browser that just wrote reads
the primary, a backup dumped from the standby restores everything, and with the standby down
the pages still answer (from the primary, with a warning in the log).

PostgreSQL only (a standby of encrypted SQLite does not exist): skipped on SQLite.
"""

from __future__ import annotations

import io
import json
import logging
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext

from tests.backup.drill import backup, env_for, key_holder, populate, run_drill
from tests.conftest import make_user
from tests.ports import free_port
from vigil.accounts.models import User
from vigil.accounts.testing import login_verified
from vigil.core import replica
from vigil.core.context import change_context
from vigil.records.models import Person

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, replica.REPLICA]),
]

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "pg-throwaway"
FIGURES = "/how-many/"
STANDBY = RawSQL("pg_is_in_recovery()", [])


def _port_free(port: int) -> bool:
    """Nothing listens on ``port`` and no cluster folder of scripts/pg-throwaway is named for it
    (a folder left by a benchmark is another cluster: the standby must not start or delete it)."""
    root = Path(os.environ.get("VIGIL_PG_ROOT", "/tmp"))  # noqa: S108 - the script's default
    if (root / f"vigil-pg-{port}").exists():
        return False
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def _throwaway(*args: str) -> str:
    done = subprocess.run(  # noqa: S603 - fixed argv
        [str(SCRIPT), *args],
        env={**os.environ, "VIGIL_PG_FAST": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture(scope="module")
def standby(django_db_setup, django_db_blocker) -> Iterator[int]:
    """A hot standby of the test's PostgreSQL cluster on its own port, and the ``replica``
    alias naming it, for the module (the alias exists before each test's database set-up, so
    Django's test case lets the test use it; it mirrors the test database, which the standby
    copies by itself)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (VIGIL_DATABASE_URL): a replica is a PostgreSQL standby")
    params = connection.get_connection_params()
    if str(params.get("host") or "") not in ("127.0.0.1", "localhost"):
        pytest.skip("the standby is made with scripts/pg-throwaway from a local primary")
    primary = int(params.get("port") or 5432)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    port = primary + 1 + int(worker) if worker.isdigit() else free_port()
    while not _port_free(port):
        port = free_port()
    _throwaway("standby", str(primary), str(port))
    _point_replica(port)
    try:
        yield port
    finally:
        _drop_replica()
        _throwaway("stop", str(port))


def _point_replica(port: int) -> None:
    """The ``replica`` alias on ``port`` of this machine (a new connection from now on)."""
    _forget_connection()
    entry = dict(connections[DEFAULT_DB_ALIAS].settings_dict)  # the test database's name
    entry.update(
        HOST="127.0.0.1",
        PORT=str(port),
        OPTIONS={**entry.get("OPTIONS", {}), "connect_timeout": 3},
        TEST={**entry.get("TEST", {}), "MIRROR": DEFAULT_DB_ALIAS},
    )
    connections.settings[replica.REPLICA] = entry
    replica.reset()


def _forget_connection() -> None:
    if replica.REPLICA in connections.settings:
        try:
            connections[replica.REPLICA].close()
        except Exception:  # noqa: BLE001 - a halted standby's connection is already gone
            pass
        del connections[replica.REPLICA]
    replica.reset()


def _drop_replica() -> None:
    _forget_connection()
    connections.settings.pop(replica.REPLICA, None)


@pytest.fixture
def with_replica(standby, transactional_db) -> Iterator[int]:
    """The ``replica`` alias on the standby."""
    _point_replica(standby)
    yield standby
    _forget_connection()


@pytest.fixture
def with_dead_replica(standby, transactional_db) -> Iterator[int]:
    """The ``replica`` alias on a port where nothing listens."""
    port = free_port()
    _point_replica(port)
    yield port
    _point_replica(standby)


def _record_queries(captured: CaptureQueriesContext) -> list[str]:
    """The captured statements that read the record's tables (not the replica's lag check)."""
    return [q["sql"] for q in captured.captured_queries if '"records_' in q["sql"]]


def _caught_up() -> None:
    assert replica.wait_for_replay(30), "the standby did not replay the primary's writes"


def _read_again_within(seconds: float) -> bool:
    """Whether the replica is read again, once caught up, within ``seconds``. The cluster is
    shared with the other test processes: while their WAL arrives and is not yet replayed, the
    lag reads as the time since the last replayed transaction (here the paused one, over a
    second ago), so a check that falls in that moment rightly reads the primary."""
    deadline = time.monotonic() + seconds
    while True:
        _caught_up()
        replica.reset()
        with replica.reading_from_replica() as used:
            if used:
                return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)


def _person(name: str) -> Person:
    with change_context("test", detail="replica"):
        person = Person(display_name=name)
        person.save()
    return person


def test_routed_reads_run_on_the_standby_and_writes_and_the_policy_on_the_primary(with_replica):
    first = _person("Fictional Replica Reader")
    _caught_up()
    with replica.reading_from_replica() as used:
        assert used
        rows = list(Person.objects.annotate(standby=STANDBY).values_list("pk", "standby"))
        assert rows == [(first.pk, True)]  # this very query ran on the standby
        # Accounts (and the policy, sessions, audit) are read on the primary even here.
        make_user("analyst", "fictional-replica-analyst")
        assert list(User.objects.annotate(standby=STANDBY).values_list("standby", flat=True)) == [
            False
        ]
        # A write inside the block goes to the primary; a locking read does too.
        second = _person("Fictional Replica Writer")
        with transaction.atomic():
            locked = Person.objects.select_for_update().annotate(standby=STANDBY).get(pk=second.pk)
        assert locked.standby is False
        # An instance read from the standby is saved on the primary.
        read = Person.objects.get(pk=first.pk)
        assert read._state.db == replica.REPLICA
        with change_context("test", detail="replica"):
            read.display_name = "Fictional Replica Reader Renamed"
            read.save()
    outside = Person.objects.annotate(standby=STANDBY).values_list("standby", flat=True)
    assert set(outside) == {False}
    with psycopg.connect(_primary_url()) as primary:
        names = {n for (n,) in primary.execute("SELECT display_name FROM records_person")}
    assert names == {"Fictional Replica Reader Renamed", "Fictional Replica Writer"}


def _primary_url() -> str:
    params = connection.get_connection_params()
    return f"postgres://{params['user']}@{params['host']}:{params['port']}/{params['dbname']}"


def _signed_in(client, admin_user):
    return login_verified(client, admin_user)


def test_the_figures_page_reads_the_standby_until_the_browser_writes(
    with_replica, client, admin_user
):
    _person("Fictional Figures Person")
    browser = _signed_in(client, admin_user)
    browser.cookies.pop(replica.PIN_COOKIE, None)  # signing in was a write
    _caught_up()
    with CaptureQueriesContext(connections[replica.REPLICA]) as on_standby:
        assert browser.get(FIGURES).status_code == 200
    assert _record_queries(on_standby)  # the record itself, not just the lag check
    # Any write (here: choosing a language) pins the browser to the primary for a while.
    assert browser.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    assert replica.PIN_COOKIE in browser.cookies
    with CaptureQueriesContext(connections[replica.REPLICA]) as pinned:
        assert browser.get(FIGURES).status_code == 200
    assert not _record_queries(pinned) and len(pinned) == 0
    # Interactive pages (a person's list) never read the standby.
    browser.cookies.pop(replica.PIN_COOKIE)
    with CaptureQueriesContext(connections[replica.REPLICA]) as listing:
        assert browser.get("/persons/").status_code == 200
    assert not _record_queries(listing) and len(listing) == 0


def test_a_backup_dumped_from_the_standby_restores_everything(with_replica, tmp_path, settings):
    populate(tmp_path, settings)
    _person("Fictional Person Written Just Before The Backup")
    identity, identity_file = key_holder(tmp_path)
    result = backup(tmp_path, identity)
    assert result.source == "replica"
    with psycopg.connect(_primary_url()) as primary:
        persons = primary.execute("SELECT count(*) FROM records_person").fetchone()[0]
        entries = primary.execute("SELECT count(*) FROM audit_auditentry").fetchone()[0]
    # The standby had replayed every write the primary had made when the backup began:
    # populate's three persons (one saved, two bulk-written in one batch) and the one above.
    assert result.manifest.row_counts["records_person"] == persons == 4
    assert result.manifest.row_counts["core_versionbatch"] == 1
    assert result.manifest.row_counts["audit_auditentry"] == entries
    name = f"vigil_from_standby_{os.getpid()}"
    server = _primary_url().rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        target_url = server.rsplit("/", 1)[0] + f"/{name}"
        out = run_drill(result.path, identity_file, env_for(tmp_path / "restored", target_url))
        assert "Restored the postgresql backup" in out["restore"]
        assert "All 2 evidence file(s) match their SHA-256." in out["evidence"]
        assert "consistent with" in out["audit"]
        with psycopg.connect(target_url) as restored:
            names = {n for (n,) in restored.execute("SELECT display_name FROM records_person")}
        assert "Fictional Person Written Just Before The Backup" in names and len(names) == 4
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_with_the_replica_unreachable_pages_and_backups_use_the_primary_with_a_warning(
    with_dead_replica, client, admin_user, tmp_path, settings, caplog
):
    _person("Fictional Person While The Replica Is Down")
    browser = _signed_in(client, admin_user)
    browser.cookies.pop(replica.PIN_COOKIE, None)
    with caplog.at_level(logging.WARNING, logger="vigil.replica"):
        page = browser.get(FIGURES)
        assert page.status_code == 200
        assert browser.get("/public/prisoners.json").status_code == 200
        populate(tmp_path, settings)
        identity, _ = key_holder(tmp_path)
        assert backup(tmp_path, identity).source == "primary"
    warnings = [r.getMessage() for r in caplog.records if r.name == "vigil.replica"]
    assert warnings and "unreachable" in warnings[0] and "reading from the primary" in warnings[0]


def test_a_standby_that_stops_mid_request_is_left_for_the_primary_without_an_error_page(
    with_replica, client, admin_user, caplog, monkeypatch
):
    monkeypatch.setattr(replica, "CHECK_EVERY", 300.0)  # the good check is still trusted
    _person("Fictional Person Before The Standby Stops")
    browser = _signed_in(client, admin_user)
    browser.cookies.pop(replica.PIN_COOKIE, None)
    _caught_up()
    with CaptureQueriesContext(connections[replica.REPLICA]) as on_standby:
        assert browser.get(FIGURES).status_code == 200
    assert _record_queries(on_standby)  # a connection to the standby is now open and kept
    _throwaway("halt", str(with_replica))
    try:
        with caplog.at_level(logging.WARNING, logger="vigil.replica"):
            # The kept connection fails inside the view: the page is read again on the primary.
            assert browser.get(FIGURES).status_code == 200
            assert browser.get(FIGURES).status_code == 200  # left alone for RETRY_AFTER
        warnings = [r.getMessage() for r in caplog.records if r.name == "vigil.replica"]
        assert len(warnings) == 1 and "failed during a request" in warnings[0]
        replica.reset()  # as after RETRY_AFTER: the next page checks the standby again
        with caplog.at_level(logging.WARNING, logger="vigil.replica"):
            assert browser.get(FIGURES).status_code == 200
        warnings = [r.getMessage() for r in caplog.records if r.name == "vigil.replica"]
        assert len(warnings) == 2 and "unreachable" in warnings[1]
    finally:
        _throwaway("resume", str(with_replica))


def test_a_standby_further_behind_than_allowed_is_not_read_until_it_catches_up(
    with_replica, settings, caplog
):
    settings.REPLICA_MAX_LAG = 0.5
    _person("Fictional Person Replayed")
    _caught_up()
    with connections[replica.REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        _person("Fictional Person Not Yet Replayed")  # received by the standby, not replayed
        time.sleep(1.2)
        replica.reset()
        with caplog.at_level(logging.WARNING, logger="vigil.replica"):
            with replica.reading_from_replica() as used:
                assert used is False
                assert Person.objects.count() == 2  # the primary answered
        warnings = [r.getMessage() for r in caplog.records if r.name == "vigil.replica"]
        assert len(warnings) == 1 and "behind, more than 0.5 s" in warnings[0]
    finally:
        with connections[replica.REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
    assert _read_again_within(10), "the standby caught up and was still not read"
    with replica.reading_from_replica() as used:
        assert used is True
        assert Person.objects.count() == 2


def test_a_reading_command_reads_the_standby(with_replica, admin_user):
    _person("Fictional Person Counted By Stats")
    _caught_up()
    out = io.StringIO()
    with CaptureQueriesContext(connections[replica.REPLICA]) as on_standby:
        call_command("stats", "--json", acting_user=admin_user.username, stdout=out)
    assert json.loads(out.getvalue())["persons"] == 1
    assert any("records_person" in q for q in _record_queries(on_standby))
