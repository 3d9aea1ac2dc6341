"""Two bulk writes of one model at the same microsecond, each on its own connection, both
commit: each batch gets its own time and holds only its own records (one batch per model and
time, never mixed), and a write that fails after taking the next time loses only itself.

The clock is frozen so that both writes choose the same time. The first write holds its
transaction open (its batch written, not committed) while the second writes: on PostgreSQL
the second's batch INSERT waits on the first's uncommitted row (the test sees the wait in
``pg_locks``) and, when the first commits, takes the next microsecond; on SQLite the second's
BEGIN IMMEDIATE waits for the first's commit and reads the time it took.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from vigil.core.context import change_context
from vigil.core.history import batch_ids, bulk_create_records, bulk_created, history_of
from vigil.core.models import VersionBatch
from vigil.records.models import Person

FROZEN = dt.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=dt.UTC)
NEXT = FROZEN + dt.timedelta(microseconds=1)


class BadRow(Exception):
    """A row the second import refuses after its records went in (imports are atomic)."""


def _wait_until_blocked(other_started: threading.Event) -> None:
    """Until the second write waits on the first's uncommitted batch (PostgreSQL), or a
    moment after it started (SQLite: it waits for the write lock)."""
    other_started.wait(10)
    if connection.vendor != "postgresql":
        time.sleep(0.3)
        return
    deadline = time.monotonic() + 10
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the second write never waited on the first")


def _race(users, second_fails: bool = False) -> tuple[list[Person], list[Person], list]:
    """Two imports, by two organisations' staff, committing batches of persons at one time."""
    first_user, second_user = users
    first = [Person(display_name=f"Fictional First-Import {i}") for i in range(3)]
    second = [Person(display_name=f"Fictional Second-Import {i}") for i in range(4)]
    errors: list[BaseException] = []
    first_written, release_first, second_started = (threading.Event() for _ in range(3))

    def hold(sender, objs, **kwargs) -> None:
        if threading.current_thread().name == "first":
            first_written.set()
            release_first.wait(10)

    def run(name: str, user, people: list[Person]) -> None:
        try:
            if name == "second":
                second_started.set()
            kind = "cli" if name == "first" else "job"  # a CLI import and a worker's
            with change_context(kind, actor=user, detail=f"{name} import"):
                with transaction.atomic():
                    bulk_create_records(people)
                    if name == "second" and second_fails:
                        raise BadRow("row 5: no name")
        except BaseException as exc:  # reported to the main thread
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection

    bulk_created.connect(hold, sender=Person)
    try:
        one = threading.Thread(target=run, args=("first", first_user, first), name="first")
        two = threading.Thread(target=run, args=("second", second_user, second), name="second")
        one.start()
        assert first_written.wait(10), errors
        two.start()
        _wait_until_blocked(second_started)
        release_first.set()
        one.join(20)
        two.join(20)
    finally:
        release_first.set()
        bulk_created.disconnect(hold, sender=Person)
    return first, second, errors


@pytest.fixture
def two_staff(transactional_db):
    from vigil.accounts.models import User

    return (
        User.objects.create_user("fictional-staff-one", "", None, role="admin"),
        User.objects.create_user("fictional-staff-two", "", None, role="admin"),
    )


@pytest.fixture
def frozen_clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: FROZEN)


@pytest.mark.django_db(transaction=True)
def test_two_imports_at_the_same_microsecond_both_commit_each_with_its_own_history(
    two_staff, frozen_clock
):
    first, second, errors = _race(two_staff)
    assert errors == []
    batches = {b.at: b for b in VersionBatch.objects.filter(model="records.person")}
    assert sorted(batches) == [FROZEN, NEXT]
    assert batch_ids(batches[FROZEN]) == [p.pk for p in first]
    assert batch_ids(batches[NEXT]) == [p.pk for p in second]
    assert batches[FROZEN].actor_id == two_staff[0].pk
    assert batches[NEXT].actor_id == two_staff[1].pk
    for people, at, user, detail in (
        (first, FROZEN, two_staff[0], "first import"),
        (second, NEXT, two_staff[1], "second import"),
    ):
        for p in people:
            row = Person.objects.get(pk=p.pk)
            assert (row.created_at, row.updated_at, row.version) == (at, at, 1)
            [v] = history_of(row)
            assert (v.at, v.actor_id, v.context_detail) == (at, user.pk, detail)
            assert v.snapshot["display_name"] == p.display_name


@pytest.mark.django_db(transaction=True)
def test_an_import_that_fails_after_taking_the_next_microsecond_loses_only_itself(
    two_staff, frozen_clock
):
    first, second, errors = _race(two_staff, second_fails=True)
    assert [type(e) for e in errors] == [BadRow]
    [batch] = VersionBatch.objects.filter(model="records.person")
    assert (batch.at, batch_ids(batch)) == (FROZEN, [p.pk for p in first])
    assert set(Person.objects.values_list("pk", flat=True)) == {p.pk for p in first}
    # The next import of the model takes the time the failed one gave back.
    with change_context("job", actor=two_staff[1], detail="again"):
        with transaction.atomic():
            bulk_create_records([Person(display_name="Fictional Third-Import")])
    assert sorted(VersionBatch.objects.values_list("at", flat=True)) == [FROZEN, NEXT]
