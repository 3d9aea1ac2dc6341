"""The record's counts kept per ceiling equal the counts read now, after every kind of write
(issue 14 §2, the home page at 100k).

``record_stats`` keeps, per confidentiality ceiling, what a user whose view is exactly that
ceiling may count, until a write changes what the counts read (``records.count_changes``: a
mark written by triggers in the writer's own transaction). For every user — each role, a user
with a case grant, a documenter with a record of their own above their ceiling — the kept
counts must be what ``record_stats(fresh=True)`` counts through the policy, after single saves,
edits of type, role and confidentiality, soft and hard deletes, bulk inserts, queryset updates,
a custody rebuild, and a write rolled back; and a user must never be shown counts read before a
write their snapshot sees.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from tests.record_acts import act_of, involvement_of

from vigil.accounts.models import User
from vigil.core.context import change_context
from vigil.core.hard_delete import hard_delete_permitted
from vigil.core.history import bulk_create_records
from vigil.policy.access import exact_ceiling, exact_ceiling_over
from vigil.policy.models import CaseGrant
from vigil.records.count_changes import TABLE, change_mark
from vigil.records.custody import Custody
from vigil.records.custody_filter import filter_custody, first_by_name
from vigil.records.custody_store import counts_at
from vigil.records.models import (
    Act,
    Case,
    Event,
    Involvement,
    Organisation,
    Participant,
    Person,
    Source,
    Statistic,
    StoredCustody,
    Term,
)
from vigil.records.stats import record_stats
from vigil.records.visible import custody_counts_seen_by, visible

pytestmark = pytest.mark.django_db
D = dt.date
ROLES = ("viewer", "documenter", "analyst", "coordinator", "admin")
COUNTED = ("records.involvement", "records.participant", "records.source", "records.statistic")


@pytest.fixture
def ctx() -> Iterator[None]:
    with change_context("test", detail="kept counts"):
        yield


@pytest.fixture
def users(db: Any) -> dict[str, User]:
    return {role: User.objects.create_user(f"fictional-{role}", role=role) for role in ROLES}


def _act(victim: Person, kind: str, level: str = "internal", **kw: Any) -> Act:
    return act_of(victim, kind, D(2024, 1, 10), level, **kw)



@pytest.fixture
def record(ctx: None) -> dict[str, Any]:
    """A record with something at every level: persons, acts of several types, perpetrators in
    several roles, an organisation, participants, sources and statistics."""
    found: dict[str, Any] = {}
    judge = Person.objects.create(display_name="Fictional Judge", confidentiality="public")
    court = Organisation.objects.create(display_name="Fictional Court", confidentiality="internal")
    for level in ("public", "internal", "restricted", "secret"):
        victim = Person.objects.create(display_name=f"Fictional {level}", confidentiality=level)
        arrest = _act(victim, "arrest", level)
        sentence = _act(victim, "sentence", level, sentence_months=24)
        involvement_of(arrest, judge, "judge", level)
        involvement_of(sentence, court, "investigator", level)
        Participant.objects.create(act=arrest, name_text="Fictional witness", confidentiality=level)
        Source.objects.create(title=f"Fictional source {level}", confidentiality=level)
        Statistic.objects.create(
            subject=f"Fictional figure {level}", value=3, confidentiality=level
        )
        found[level] = {"victim": victim, "arrest": arrest, "sentence": sentence}
    found["judge"], found["court"] = judge, court
    return found


def _with_grant(users: dict[str, User], record: dict[str, Any]) -> User:
    """A coordinator with a secret grant on the case of the secret victim's events."""
    coordinator = User.objects.create_user("fictional-granted", role="coordinator")
    with change_context("test", detail="grant"):
        case = Case.objects.create(title="Fictional case")
    case.events.add(record["secret"]["arrest"].event)
    case.persons.add(record["secret"]["victim"])
    CaseGrant.objects.create(user=coordinator, case=case, level="secret", granted_by=None)
    assert exact_ceiling(coordinator) is None
    return coordinator


def _everyone(users: dict[str, User]) -> list[User | None]:
    return [*users.values(), None]


def read_all(users: dict[str, User]) -> None:
    """Fill the kept counts of every ceiling (the next write must be seen through them)."""
    for user in _everyone(users):
        record_stats(user=user)
        record_stats(user=user, include_synthetic=False)


def assert_kept_is_counted(users: dict[str, User]) -> None:
    """For every user, what ``record_stats`` gives is what the policy counts now; and again
    from what is kept."""
    for user in _everyone(users):
        for synthetic in (True, False):
            counted = record_stats(user=user, include_synthetic=synthetic, fresh=True)
            for _ in range(2):  # counted (or kept), then kept
                found = record_stats(user=user, include_synthetic=synthetic)
                assert found == counted, (user, synthetic)
        level = exact_ceiling(user) if user is not None else None
        if level is not None:
            assert custody_counts_seen_by(user) == counts_at(level), user


def test_the_kept_counts_are_the_counted_ones_and_differ_by_ceiling(record, users):
    read_all(users)
    assert_kept_is_counted(users)
    viewer, admin = record_stats(user=users["viewer"]), record_stats(user=users["admin"])
    assert (viewer["acts"], admin["acts"]) == (4, 8)
    assert viewer["acts_by_type"] == {"arrest": 2, "sentence": 2}
    assert admin["perpetrators_by_role"] == {"investigator": 1, "judge": 1}
    assert (viewer["sources"], admin["sources"]) == (2, 4)


def test_a_second_read_is_served_without_counting_the_acts(record, users):
    """Both databases keep change marks (PostgreSQL by triggers, SQLite by its backend), so a
    second read counts nothing."""
    record_stats(user=users["analyst"])
    with CaptureQueriesContext(connection) as captured:
        again = record_stats(user=users["analyst"])
    sql = " ".join(q["sql"] for q in captured.captured_queries).lower()
    assert change_mark(connection) is not None
    assert TABLE in sql
    assert "records_act" not in sql and "records_involvement" not in sql
    assert again == record_stats(user=users["analyst"], fresh=True)


def test_a_new_act_and_involvement_are_counted_at_once(record, users, ctx):
    read_all(users)
    victim = Person.objects.create(display_name="Fictional New", confidentiality="public")
    act = _act(victim, "detention", "public")
    involvement_of(act, record["judge"], "prosecutor", "public")
    assert record_stats(user=users["viewer"])["acts_by_type"]["detention"] == 1
    assert record_stats(user=users["viewer"])["perpetrators_by_role"]["prosecutor"] == 1
    assert_kept_is_counted(users)


@pytest.mark.slow  # ~0.9 s a run on a quiet 2-core machine
def test_an_edit_of_type_role_and_confidentiality_is_counted_at_once(record, users, ctx):
    read_all(users)
    arrest = record["public"]["arrest"]
    arrest.act_type_id = Term.pk_for("act_type", "detention")
    arrest.save()
    assert_kept_is_counted(users)
    involvement = Involvement.objects.get(act=arrest)
    involvement.role_id = Term.pk_for("perpetrator_role", "prosecutor")
    involvement.save()
    assert_kept_is_counted(users)
    sentence = record["internal"]["sentence"]
    sentence.confidentiality = "secret"
    sentence.save()
    assert record_stats(user=users["viewer"])["acts_by_type"]["sentence"] == 1
    assert_kept_is_counted(users)


def test_a_parent_made_secret_hides_its_acts_at_once(record, users, ctx):
    read_all(users)
    event = record["public"]["arrest"].event
    event.confidentiality = "secret"
    event.save()
    assert record_stats(user=users["viewer"])["acts_by_type"]["arrest"] == 1
    victim = record["internal"]["victim"]
    victim.confidentiality = "secret"
    victim.save()
    assert record_stats(user=users["viewer"])["persons"] == 2
    assert_kept_is_counted(users)


@pytest.mark.slow  # ~1.0 s a run on a quiet 2-core machine
def test_a_soft_delete_a_restore_and_a_purge_are_counted_at_once(record, users, ctx):
    read_all(users)
    source = Source.objects.get(title="Fictional source public")
    source.soft_delete("fictional: entered in error")
    assert record_stats(user=users["viewer"])["sources"] == 1
    assert_kept_is_counted(users)
    source.restore()
    source.save()
    assert_kept_is_counted(users)
    source.soft_delete("fictional: entered in error")
    read_all(users)
    with hard_delete_permitted():
        source.delete()  # what an approved purge does to each row of its plan
    assert_kept_is_counted(users)


@pytest.mark.slow  # ~1.0 s a run on a quiet 2-core machine
def test_a_bulk_insert_and_a_queryset_update_are_counted_at_once(record, users, ctx):
    read_all(users)
    victim = Person.objects.create(display_name="Fictional Bulk", confidentiality="internal")
    event = Event.objects.create(title="Fictional bulk event", date=D(2024, 2, 2))
    bulk_create_records(
        [
            Act(
                event=event,
                act_type_id=Term.pk_for("act_type", "detention"),
                victim_person=victim,
                date=D(2024, 2, 2),
                date_precision="day",
            )
            for _ in range(3)
        ]
    )
    assert record_stats(user=users["viewer"])["acts_by_type"]["detention"] == 3
    assert_kept_is_counted(users)
    Act.objects.filter(event=event).update(confidentiality="secret")
    assert "detention" not in record_stats(user=users["viewer"])["acts_by_type"]
    assert_kept_is_counted(users)
    Person.objects.filter(pk=victim.pk).update(is_synthetic=True)
    assert_kept_is_counted(users)


def test_a_custody_rebuild_and_a_wiped_store_are_counted_at_once(record, users):
    read_all(users)
    before = custody_counts_seen_by(users["viewer"])
    held = record["public"]["victim"]
    StoredCustody.objects.filter(person=held).delete()
    assert sum(custody_counts_seen_by(users["viewer"]).values()) == sum(before.values()) - 1
    assert_kept_is_counted(users)
    call_command("custody", "rebuild", "--no-progress", stdout=io.StringIO())
    assert custody_counts_seen_by(users["viewer"]) == before
    assert_kept_is_counted(users)


def test_a_write_rolled_back_never_leaves_its_counts_to_a_later_write(record, users, ctx):
    viewer = users["viewer"]
    before = record_stats(user=viewer)
    victim = Person.objects.create(display_name="Fictional Rolled Back", confidentiality="public")
    mark = change_mark(connection)
    with pytest.raises(RuntimeError), transaction.atomic():
        _act(victim, "detention", "public")
        # Read (and kept) inside the transaction that wrote: then rolled back.
        assert record_stats(user=viewer)["acts_by_type"]["detention"] == 1
        raise RuntimeError("fictional: rolled back")
    assert change_mark(connection) == mark
    assert record_stats(user=viewer)["acts"] == before["acts"]
    # One write again: the number of marks is the rolled-back one's, its token is not.
    _act(victim, "release", "public")
    after = record_stats(user=viewer)
    assert "detention" not in after["acts_by_type"]
    assert after["acts_by_type"]["release"] == 1
    assert after == record_stats(user=viewer, fresh=True)


def test_a_user_with_a_grant_is_counted_through_the_policy(record, users):
    granted = _with_grant(users, record)
    read_all(users)
    counted = record_stats(user=granted)
    assert counted == record_stats(user=granted, fresh=True)
    assert counted["acts"] == record_stats(user=users["coordinator"])["acts"] + 1


def test_a_documenter_with_a_restricted_source_of_their_own_is_counted_through_the_policy(
    record, users
):
    documenter = users["documenter"]
    assert exact_ceiling_over(documenter, COUNTED) == "internal"
    read_all(users)
    with change_context("test", detail="own source", actor=documenter):
        Source.objects.create(title="Fictional own source", confidentiality="restricted")
    assert exact_ceiling(documenter) == "internal"  # persons, events, acts: still the ceiling
    assert exact_ceiling_over(documenter, COUNTED) is None
    counted = record_stats(user=documenter)
    assert counted["sources"] == record_stats(user=users["viewer"])["sources"] + 1
    assert counted == record_stats(user=documenter, fresh=True)


def test_the_work_lists_kept_are_the_lists_filtered_now(record, users, ctx):
    for user in users.values():
        first_by_name(user, Custody.IN_CUSTODY.value)
    victim = Person.objects.create(display_name="Fictional Aardvark", confidentiality="public")
    _act(victim, "arrest", "public")
    for user in [*users.values(), _with_grant(users, record)]:
        for status in (Custody.IN_CUSTODY.value, Custody.TERM_ENDED.value):
            persons = visible(user, Person.objects.all())
            wanted = list(filter_custody(user, persons, status).order_by("display_name", "pk")[:10])
            assert first_by_name(user, status) == wanted, (user.role, status)
    assert first_by_name(users["viewer"], Custody.IN_CUSTODY.value)[0] == victim


def _other_connection() -> Any:
    """A second session on the test database (its own transactions)."""
    from django.db import DEFAULT_DB_ALIAS, connections

    other = connections.create_connection(DEFAULT_DB_ALIAS)
    other.settings_dict = {**connection.settings_dict}
    other.ensure_connection()
    return other


INSERT_PERSON = (
    "INSERT INTO records_person (id, version, confidentiality, is_synthetic, deletion_reason,"
    " display_name, name_withheld, sex, birth_date_precision, birth_place, nationality, notes)"
    " VALUES ({id}, 1, 'public', false, '', 'Fictional concurrent', false, '', '',"
    " '', '', '')"
)
NEW_ID = {"postgresql": "gen_random_uuid()", "sqlite": "lower(hex(randomblob(16)))"}


def _insert_person() -> str:
    return INSERT_PERSON.format(id=NEW_ID[connection.vendor])


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_writers_counts_show_exactly_when_it_commits() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (VIGIL_DATABASE_URL): SQLite has one writer at a time")
    viewer = User.objects.create_user("fictional-concurrent-viewer", role="viewer")
    before = record_stats(user=viewer)["persons"]
    first, second = _other_connection(), _other_connection()
    try:
        first.set_autocommit(False)
        second.set_autocommit(False)
        with first.cursor() as a, second.cursor() as b:
            a.execute(_insert_person())  # holds the fold's advisory lock
            b.execute(_insert_person())  # appends its mark: never waits for the first writer
            assert record_stats(user=viewer)["persons"] == before  # neither committed
            second.commit()
            assert record_stats(user=viewer)["persons"] == before + 1
            first.commit()
            assert record_stats(user=viewer)["persons"] == before + 2
            for _ in range(20):
                b.execute(_insert_person())
                second.commit()
        assert record_stats(user=viewer)["persons"] == before + 22
        assert record_stats(user=viewer) == record_stats(user=viewer, fresh=True)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")  # noqa: S608
            assert cursor.fetchone()[0] <= 2  # folded as the writers went
    finally:
        first.close()
        second.close()


@pytest.mark.django_db(transaction=True)
def test_a_write_on_another_connection_makes_the_kept_counts_stale() -> None:
    """Another process (a second gunicorn worker) writing the same database: counts kept here
    are read again once its write commits, and not before — raw SQL, in autocommit mode and in
    a transaction."""
    viewer = User.objects.create_user("fictional-other-viewer", role="viewer")
    before = record_stats(user=viewer)["persons"]
    other = _other_connection()
    try:
        with other.cursor() as cursor:
            cursor.execute(_insert_person())  # autocommit: committed with its mark
        assert record_stats(user=viewer)["persons"] == before + 1
        other.set_autocommit(False)  # SQLite: the driver's own BEGIN before the write
        with other.cursor() as cursor:
            cursor.execute(_insert_person())
            assert record_stats(user=viewer)["persons"] == before + 1  # not committed
        other.commit()
        assert record_stats(user=viewer)["persons"] == before + 2
        assert record_stats(user=viewer) == record_stats(user=viewer, fresh=True)
    finally:
        other.close()


@pytest.mark.django_db(transaction=True)
def test_counts_read_while_another_thread_commits_are_never_kept_stale() -> None:
    """A writer committing while the counts are read: what is kept is never older than what a
    later reader's snapshot sees."""
    viewer = User.objects.create_user("fictional-racing-viewer", role="viewer")
    done = threading.Event()

    def write() -> None:
        try:
            with change_context("test", detail="racing writer"):
                for n in range(15):
                    Source.objects.create(title=f"Fictional racing {n}", confidentiality="public")
        finally:
            from django.db import connection as own

            own.close()
            done.set()

    writer = threading.Thread(target=write)
    writer.start()
    while not done.is_set():
        record_stats(user=viewer)
    writer.join()
    assert record_stats(user=viewer) == record_stats(user=viewer, fresh=True)
    assert record_stats(user=viewer)["sources"] == 15


@pytest.mark.django_db
def test_every_watched_table_is_marked_on_its_database_and_no_other_is() -> None:
    """``count_changes.WATCHED`` is the one list of watched tables: PostgreSQL's triggers (made
    by migrations) and SQLite's registered marks cover exactly it, so a table added to it
    without a migration of its triggers fails here."""
    from vigil.core.db.write_marks import watched
    from vigil.records.count_changes import SQLITE_MARK, WATCHED

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname, t.tgtype FROM pg_trigger t"
                " JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid"
                " WHERE p.proname = 'records_count_change' AND NOT t.tgisinternal"
            )
            rows = cursor.fetchall()
        # tgtype's bits: 4 insert, 8 delete, 16 update, 32 truncate (row-level bit 1 unset).
        events: dict[str, int] = {}
        for table, kind in rows:
            assert not kind & 1, f"{table}: a row-level trigger"
            events[table] = events.get(table, 0) | (kind & (4 | 8 | 16 | 32))
        assert events == {table: 4 | 8 | 16 | 32 for table in WATCHED}
    else:
        marked = {table for table, marks in watched().items() if SQLITE_MARK in marks}
        assert marked == set(WATCHED)
