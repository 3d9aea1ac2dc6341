"""A search catching up while a bulk write is still open: history rows commit out of id order.

On PostgreSQL ids come from sequences when a row is inserted, not when it commits. A long
bulk write (an import) holds a batch row with a low id uncommitted while another write
commits a batch with a higher id; a search catching up in between moved the watermark past
the invisible low id, and once the long write committed its persons were never replayed
(not found by name until a full rebuild). Each test here holds one write open on its own
connection (a thread) while the main connection writes, searches and catches up.

On SQLite one write transaction runs at a time, so the second write waits for the first:
the same steps there show the index current after each write commits.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tests.pg_sessions import other_session
from vigil.core.context import change_context
from vigil.core.history import bulk_create_records
from vigil.core.models import Version, VersionBatch
from vigil.records.models import Person
from vigil.search.models import IndexState, NameForm
from vigil.search.rebuild import rebuild_all
from vigil.search.sync import HORIZON, catch_up, horizon, lag

pytestmark = pytest.mark.django_db(transaction=True)

LATE, EARLY = "Fictional Latecommitova", "Fictional Earlycommitova"


class Rollback(Exception):
    """Raised inside the held write to roll it back."""


@contextmanager
def held_write(write: Callable[[], Any], *, commit: bool = True) -> Iterator[dict[str, Any]]:
    """Run ``write`` in a transaction on another connection and hold it open (uncommitted)
    until the block ends; then commit it (or roll it back) and wait for the thread."""
    written, release = threading.Event(), threading.Event()
    state: dict[str, Any] = {"errors": []}

    def run() -> None:
        try:
            with transaction.atomic(), change_context("test", detail="held bulk write"):
                state["result"] = write()
                written.set()
                assert release.wait(30)
                if not commit:
                    raise Rollback
        except Rollback:
            pass
        except BaseException as exc:  # reported to the main thread
            state["errors"].append(exc)
        finally:
            written.set()
            connection.close()

    thread = threading.Thread(target=run, name="held-write")
    thread.start()
    try:
        assert written.wait(30)
        assert state["errors"] == []
        yield state
    finally:
        release.set()
        thread.join(30)
    assert state["errors"] == [] and not thread.is_alive()


def _bulk_person(name: str, *, version_row: bool = False) -> Person:
    """A person written by a bulk write: listed in its batch row or, ``version_row``, given
    a version row of its own (a creation time in another zone: the row would not give it
    back as written)."""
    person = Person(display_name=name, is_synthetic=True)
    if version_row:
        person.created_at = timezone.now().astimezone(dt.timezone(dt.timedelta(hours=3)))
    bulk_create_records([person])
    return person


def _indexed(person: Person) -> bool:
    return NameForm.objects.filter(person_id=person.pk, text=person.display_name).exists()


def _batch_of(person: Person) -> int:
    return VersionBatch.objects.get(model="records.person", at=person.updated_at).pk


def _wrote(late: Person) -> int:
    """The transaction that wrote ``late``'s history row."""
    xacts = [
        *VersionBatch.objects.filter(model="records.person", at=late.updated_at).values_list(
            "xact", flat=True
        ),
        *Version.objects.filter(object_id=late.pk).values_list("xact", flat=True),
    ]
    return max(x for x in xacts if x)


def _when_older_transactions_ended(late: Person, *, within: float = 120) -> None:
    """Wait until no transaction of this database older than the one that wrote ``late``
    still runs.

    The horizon (``vigil.search.sync.horizon``) is this database's: a writing transaction
    of this database that began before the held write holds back the check of rows that
    committed late until it ends (by design). Other test processes' open transactions are in
    their own databases and no longer count (they did while the horizon was the cluster's
    ``pg_snapshot_xmin``); one of this database can still run here — autovacuum's ANALYZE
    of a test table writes statistics in a transaction of its own. The product's next
    searches wait the same way, so the test waits for it too, then asks for the replay."""
    wrote = _wrote(late)
    deadline = time.monotonic() + within
    while (now := horizon()) is not None and now <= wrote:
        assert time.monotonic() < deadline, f"a transaction older than {wrote} ran {within} s"
        time.sleep(0.05)


def _commit_a_later_write(name: str, *, version_row: bool = False) -> Person:
    with change_context("test", detail="later bulk write"):
        return _bulk_person(name, version_row=version_row)


@pytest.mark.postgres
def test_a_batch_committed_after_a_later_one_and_a_catch_up_is_still_replayed():
    if connection.vendor != "postgresql":
        pytest.skip("one write transaction at a time on SQLite: no out-of-order commit")
    with held_write(lambda: _bulk_person(LATE)) as held:
        early = _commit_a_later_write(EARLY)
        assert catch_up() is True
        assert _indexed(early)
    late = held["result"]
    assert _batch_of(late) < _batch_of(early)  # the low id committed last
    transactions = VersionBatch.objects.filter(pk__in=[_batch_of(late), _batch_of(early)])
    assert len({x for x in transactions.values_list("xact", flat=True) if x}) == 2
    assert not _indexed(late)  # bulk writes send no signal: only the replay indexes it
    _when_older_transactions_ended(late)
    catch_up()
    assert _indexed(late)
    assert lag() == 0
    assert catch_up() is True


@pytest.mark.postgres
def test_a_version_row_committed_after_a_later_one_and_a_catch_up_is_still_replayed():
    """The same for the version rows a bulk write stores for records whose version 1 it
    cannot derive from their rows."""
    if connection.vendor != "postgresql":
        pytest.skip("one write transaction at a time on SQLite: no out-of-order commit")
    with held_write(lambda: _bulk_person(LATE, version_row=True)) as held:
        early = _commit_a_later_write(EARLY, version_row=True)
        assert catch_up() is True
        assert _indexed(early)
    late = held["result"]
    [mine] = Version.objects.filter(object_id=late.pk).values_list("pk", flat=True)
    [theirs] = Version.objects.filter(object_id=early.pk).values_list("pk", flat=True)
    assert mine < theirs  # the low id committed last
    _when_older_transactions_ended(late)
    catch_up()
    assert _indexed(late) and _indexed(early)


@pytest.mark.postgres
def test_a_rolled_back_write_does_not_hold_the_replay_back():
    if connection.vendor != "postgresql":
        pytest.skip("one write transaction at a time on SQLite: no out-of-order commit")
    with held_write(lambda: _bulk_person(LATE), commit=False):
        early = _commit_a_later_write(EARLY)
        catch_up()
    catch_up()
    assert _indexed(early)
    assert not Person.objects.filter(display_name=LATE).exists()
    after = _commit_a_later_write("Fictional Afterwardsova")
    assert catch_up() is True
    assert _indexed(after)
    assert lag() == 0


@pytest.mark.postgres
def test_a_batch_committed_after_a_rebuild_that_ran_beside_it_is_replayed():
    if connection.vendor != "postgresql":
        pytest.skip("one write transaction at a time on SQLite: no out-of-order commit")
    with held_write(lambda: _bulk_person(LATE)) as held:
        early = _commit_a_later_write(EARLY)
        rebuild_all()
        assert _indexed(early)
    late = held["result"]
    _when_older_transactions_ended(late)
    catch_up()
    assert _indexed(late)
    assert lag() == 0


@contextmanager
def older_transaction(database: str | None = None, *, prepare: bool = False) -> Iterator[int]:
    """A transaction with an id, held open (or prepared, ``prepare``) in ``database`` (this
    test's by default) on a connection of its own; yields its id; rolled back at the end."""
    gid = f"vigil-test-older-{uuid.uuid4().hex}"  # the names are the cluster's
    with other_session(database) as other:
        if prepare:
            [[allowed]] = other.execute("SHOW max_prepared_transactions").fetchall()
            if int(allowed) == 0:
                pytest.skip("the server allows no prepared transaction (scripts/pg-throwaway: 8)")
        [[xid]] = other.execute("SELECT pg_current_xact_id()::text::bigint").fetchall()
        if prepare:
            other.execute(f"PREPARE TRANSACTION '{gid}'")
        try:
            yield xid
        finally:
            if prepare:
                other.rollback()  # leaves the transaction block PREPARE ended
                other.autocommit = True
                other.execute(f"ROLLBACK PREPARED '{gid}'")
            else:
                other.rollback()


def _late_and_early_written() -> tuple[Person, Person]:
    """A held bulk write and a later one that commits first, a catch-up between them."""
    with held_write(lambda: _bulk_person(LATE)) as held:
        early = _commit_a_later_write(EARLY)
        assert catch_up() is True
        assert _indexed(early)
    late = held["result"]
    assert _batch_of(late) < _batch_of(early) and not _indexed(late)
    return late, early


@pytest.mark.postgres
@pytest.mark.parametrize("prepare", [False, True], ids=["open", "prepared"])
def test_an_older_transaction_in_another_database_does_not_hold_the_replay_back(prepare):
    """On a server shared with other databases, their transactions do not hold back the
    replay of rows that committed late in this one (they did while the horizon was the
    cluster's ``pg_snapshot_xmin``: the search said the index lagged until they ended)."""
    if connection.vendor != "postgresql":
        pytest.skip("the horizon is PostgreSQL's")
    with older_transaction("postgres", prepare=prepare) as elsewhere:
        late, _ = _late_and_early_written()
        assert elsewhere < _wrote(late)
        _when_older_transactions_ended(late, within=10)  # none here: returns at once
        catch_up()
        assert _indexed(late)
        assert lag() == 0


@pytest.mark.postgres
@pytest.mark.parametrize("prepare", [False, True], ids=["open", "prepared"])
def test_an_older_transaction_in_this_database_still_holds_the_replay_back(prepare):
    """A transaction of this database that began before the late write may still write
    history rows below the watermarks: until it ends, the late rows are not known to be all
    visible, and the horizon stays at it. A prepared one counts as running."""
    if connection.vendor != "postgresql":
        pytest.skip("the horizon is PostgreSQL's")
    with older_transaction(prepare=prepare) as here:
        late, _ = _late_and_early_written()
        assert here < _wrote(late)
        assert horizon() <= here
        catch_up()
        assert not _indexed(late)  # held back
    _when_older_transactions_ended(late)
    catch_up()
    assert _indexed(late)
    assert lag() == 0


@pytest.mark.postgres
def test_every_history_row_records_the_transaction_that_wrote_it():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps 0: its ids commit in order")
    with transaction.atomic(), change_context("test", detail="one transaction"):
        saved = Person.objects.create(display_name=EARLY)  # a version row, by the ORM
        bulked = _bulk_person(LATE)  # a batch row
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_xact_id()::text::bigint")
            mine = cursor.fetchone()[0]
    assert Version.objects.get(object_id=saved.pk).xact == mine
    assert VersionBatch.objects.get(pk=_batch_of(bulked)).xact == mine


@pytest.mark.postgres
def test_a_horizon_from_another_cluster_is_replaced_and_the_replay_goes_on():
    """A dump restored into another cluster brings a horizon its transaction ids may not have
    reached: the catch-up still replays what is written and records the cluster's own."""
    if connection.vendor != "postgresql":
        pytest.skip("the horizon is PostgreSQL's")
    first = _commit_a_later_write(EARLY)
    assert catch_up() is True
    IndexState.objects.filter(key=HORIZON).update(value=2**62)
    after = _commit_a_later_write(LATE)
    assert catch_up() is True
    assert _indexed(first) and _indexed(after)
    assert IndexState.objects.get(key=HORIZON).value <= horizon() < 2**62
    assert lag() == 0


def test_writes_one_after_another_leave_the_index_current_on_either_database():
    with change_context("test", detail="first"):
        first = _bulk_person(LATE)
    assert catch_up() is True
    with change_context("test", detail="second"):
        second = _bulk_person(EARLY)
    assert catch_up() is True
    assert _indexed(first) and _indexed(second)
    assert lag() == 0
