"""Index builds a migration runs while the previous release serves: on PostgreSQL a
concurrent build lets the table's writes go on (a plain one makes them wait for it), and a
failed concurrent build's INVALID index is dropped and built again on the next run."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import psycopg
import pytest
from django.db import connection
from tests.pg_sessions import other_session

from vigil.core.concurrent_index import build_index

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

PROBE = "fictional_version_probe"


@pytest.fixture
def postgresql() -> Iterator[None]:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite builds its indexes in the migration's transaction (one writer)")
    yield
    with other_session(autocommit=True) as admin:
        admin.execute(f"DROP INDEX IF EXISTS {PROBE}")
        admin.execute("DROP TABLE IF EXISTS fictional_unique_probe")


def _insert_waits_for(create: str) -> bool:
    """Whether a write to core_version (the lock an insert takes, ROW EXCLUSIVE) made while
    ``create`` runs waits for it.

    A write transaction is held open on the table first: any build waits for it. Then a plain
    build's lock (SHARE) is queued behind it, and a new insert queues behind the build; a
    concurrent build's (SHARE UPDATE EXCLUSIVE) lets inserts through."""
    started = threading.Event()
    errors: list[BaseException] = []
    with other_session() as holder:
        holder.execute("LOCK TABLE core_version IN ROW EXCLUSIVE MODE")  # an uncommitted write's

        def build() -> None:
            try:
                with other_session(autocommit=True) as builder:
                    started.set()
                    builder.execute(create)
            except BaseException as exc:  # reported below
                errors.append(exc)
                started.set()

        thread = threading.Thread(target=build)
        thread.start()
        try:
            assert started.wait(10)
            with other_session(autocommit=True) as waiting:
                # The build is waiting for the holder once it shows as waiting on a lock.
                for _ in range(200):
                    [[n]] = waiting.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE query = %s"
                        " AND wait_event_type IN ('Lock')",
                        [create],
                    ).fetchall()
                    if n:
                        break
                    threading.Event().wait(0.05)
                else:
                    raise AssertionError("the build never waited for the open write")
            with other_session() as writer:
                writer.execute("SET lock_timeout = '2s'")
                try:
                    writer.execute("LOCK TABLE core_version IN ROW EXCLUSIVE MODE")
                    waited = False
                except psycopg.errors.LockNotAvailable:
                    waited = True
                writer.rollback()
        finally:
            holder.rollback()
            thread.join(30)
    assert errors == [] and not thread.is_alive()
    return waited


def test_a_concurrent_build_lets_writes_go_on_and_a_plain_one_does_not(postgresql):
    concurrent = f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {PROBE} ON core_version (xact)"
    assert _insert_waits_for(concurrent) is False
    with other_session(autocommit=True) as admin:
        admin.execute(f"DROP INDEX {PROBE}")
    assert _insert_waits_for(f"CREATE INDEX {PROBE} ON core_version (xact)") is True


class _Editor:
    """What build_index uses of a schema editor, on a session of its own (no transaction)."""

    def __init__(self, session: psycopg.Connection) -> None:
        self.session = session
        self.connection = connection

    def execute(self, sql: str) -> None:
        self.session.execute(sql)

    def quote_name(self, name: str) -> str:
        return connection.ops.quote_name(name)


def test_a_failed_concurrent_build_is_dropped_and_built_again(postgresql):
    name = "fictional_unique_probe_v"
    create = f"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS {name} ON fictional_unique_probe (v)"
    with other_session(autocommit=True) as session:
        session.execute("CREATE TABLE fictional_unique_probe (v integer)")
        session.execute("INSERT INTO fictional_unique_probe VALUES (1), (1)")
        with pytest.raises(psycopg.errors.UniqueViolation):
            session.execute(create)  # fails, and leaves the index INVALID

        def valid() -> bool | None:
            row = session.execute(
                "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                " WHERE c.relname = %s",
                [name],
            ).fetchone()
            return None if row is None else bool(row[0])

        assert valid() is False
        session.execute("DELETE FROM fictional_unique_probe")
        session.execute(create)
        assert valid() is False  # IF NOT EXISTS alone keeps the invalid index
        build_index(_Editor(session), name, create)
        assert valid() is True
