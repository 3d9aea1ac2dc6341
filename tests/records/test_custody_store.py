"""Stored custody equals custody derived from acts, after every kind of write (issue 14, §2).

For each confidentiality ceiling the stored state must be what ``records.custody.derive``
gives over the acts a role seeing every record up to that ceiling may view; and for each user
what the lists read (``custody_seen_by``) must be what deriving over the acts that user may
view gives. Checked after single saves, a change, a soft delete and a restore, a parent event
made confidential, a merge, a bulk insert and ``vigil custody rebuild``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.record_acts import act_of

from vigil.accounts.models import User
from vigil.accounts.testing import login_verified
from vigil.core.context import change_context
from vigil.core.history import bulk_create_records
from vigil.policy.access import exact_ceiling, restrict
from vigil.policy.models import CaseGrant
from vigil.records.custody import Custody, as_of, custody_by_person
from vigil.records.custody_filter import filter_custody
from vigil.records.custody_store import (
    CEILINGS,
    derived_at,
    filter_stored,
    stored_at,
)
from vigil.records.merge import merge_persons
from vigil.records.models import Act, Case, Event, Person, StoredCustody, Term
from vigil.records.visible import custody_seen_by

pytestmark = pytest.mark.django_db
D = dt.date
ROLES = ("viewer", "documenter", "analyst", "coordinator", "admin")


def _person(name: str, level: str = "internal") -> Person:
    return Person.objects.create(display_name=name, confidentiality=level)


def _colony(months: int) -> dict[str, Any]:
    return {
        "sentence_months": Decimal(months),
        "sentence_regime_id": Term.pk_for("detention_regime", "general_colony"),
    }


@pytest.fixture
def ctx() -> Iterator[None]:
    with change_context("test", detail="stored custody"):
        yield


@pytest.fixture
def users(db: Any) -> dict[str, User]:
    return {role: User.objects.create_user(f"fictional-{role}", role=role) for role in ROLES}


def assert_stored_is_derived(users: dict[str, User]) -> None:
    """At every ceiling, and for every user, the stored value is the derived one."""
    everyone = list(Person.all_objects.values_list("pk", flat=True))
    for level in CEILINGS:
        derived = {
            pk: as_of(state)
            for pk, state in derived_at(level, everyone).items()
            if state.status is not Custody.UNKNOWN
        }
        assert stored_at(level, everyone) == derived, level
    for role, user in users.items():
        derived = custody_by_person(restrict(user, "view", Act.objects.all()))
        wanted = {pk: s for pk, s in derived.items() if s.status is not Custody.UNKNOWN}
        seen = {pk: s for pk, s in custody_seen_by(user).items()}
        assert seen == wanted, role


@pytest.fixture
def record(ctx: None) -> dict[str, Person]:
    held = _person("Fictional Held")
    act_of(held, "arrest", D(2024, 1, 10))
    act_of(held, "sentence", D(2024, 6, 1), **_colony(1200))
    ended = _person("Fictional Term Ended")
    act_of(ended, "arrest", D(2020, 8, 10))
    act_of(ended, "sentence", D(2021, 3, 1), **_colony(12))
    secretly_released = _person("Fictional Secretly Released")
    act_of(secretly_released, "arrest", D(2023, 1, 1), "public")
    act_of(secretly_released, "release", D(2023, 5, 1), "secret")
    return {"held": held, "ended": ended, "secretly_released": secretly_released}


def test_acts_saved_one_by_one_are_stored_as_derived(record, users):
    assert_stored_is_derived(users)
    public = stored_at("internal", [record["secretly_released"].pk])
    secret = stored_at("secret", [record["secretly_released"].pk])
    assert public[record["secretly_released"].pk].status is Custody.IN_CUSTODY
    assert secret[record["secretly_released"].pk].status is Custody.NOT_IN_CUSTODY


def test_a_changed_act_changes_the_stored_state(record, users, ctx):
    sentence = Act.objects.get(victim_person=record["ended"], act_type__key="sentence")
    sentence.sentence_months = Decimal(1200)
    sentence.save()
    state = stored_at("internal", [record["ended"].pk])[record["ended"].pk]
    assert state.status is Custody.IN_CUSTODY
    assert_stored_is_derived(users)


def test_a_soft_deleted_and_restored_act_moves_the_stored_state(record, users, ctx):
    release = act_of(record["held"], "release", D(2025, 1, 1))
    assert stored_at("internal", [record["held"].pk])[record["held"].pk].status is (
        Custody.NOT_IN_CUSTODY
    )
    release.soft_delete("fictional: entered in error")
    assert stored_at("internal", [record["held"].pk])[record["held"].pk].status is (
        Custody.IN_CUSTODY
    )
    assert_stored_is_derived(users)
    release.restore()
    release.save()
    assert stored_at("internal", [record["held"].pk])[record["held"].pk].status is (
        Custody.NOT_IN_CUSTODY
    )
    assert_stored_is_derived(users)


def test_an_event_made_secret_hides_its_acts_from_lower_ceilings(record, users, ctx):
    arrest = Act.objects.get(victim_person=record["held"], act_type__key="arrest")
    release = act_of(record["held"], "release", D(2025, 1, 1), event=arrest.event)
    event = release.event
    event.confidentiality = "secret"
    event.save()
    assert record["held"].pk not in stored_at("restricted", [record["held"].pk]) or (
        stored_at("restricted", [record["held"].pk])[record["held"].pk].status
        is not Custody.NOT_IN_CUSTODY
    )
    assert stored_at("secret", [record["held"].pk])[record["held"].pk].status is (
        Custody.NOT_IN_CUSTODY
    )
    assert_stored_is_derived(users)


def test_a_merge_moves_the_duplicates_custody_to_the_person_kept(record, users, ctx):
    duplicate = _person("Fictional Held Again")
    act_of(duplicate, "release", D(2026, 1, 1))
    assert stored_at("internal", [duplicate.pk])
    merge_persons(record["held"], duplicate, reason="fictional: same person")
    assert stored_at("internal", [duplicate.pk]) == {}
    kept = stored_at("internal", [record["held"].pk])[record["held"].pk]
    assert kept.status is Custody.NOT_IN_CUSTODY
    assert_stored_is_derived(users)


def test_a_bulk_insert_of_acts_is_stored(record, users, ctx):
    victim = _person("Fictional Bulk Victim")
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
        ]
    )
    assert stored_at("internal", [victim.pk])[victim.pk].status is Custody.IN_CUSTODY
    assert_stored_is_derived(users)


def test_rebuild_restores_a_wiped_and_a_wrong_store(record, users):
    StoredCustody.objects.filter(person=record["held"]).delete()
    StoredCustody.objects.filter(person=record["ended"]).update(status="died_in_custody")
    StoredCustody.objects.create(person=_bare_person(), ceiling="public", status="in_custody")
    out = io.StringIO()
    call_command("custody", "rebuild", "--no-progress", stdout=out)
    assert "stored custody rebuilt: 3 persons" in out.getvalue()
    assert_stored_is_derived(users)


def _bare_person() -> Person:
    with change_context("test", detail="a person without acts"):
        return _person("Fictional No Acts")


def test_the_stored_filter_finds_what_the_derived_filter_finds(record, users):
    persons = Person.objects.all()
    for state in [c.value for c in Custody]:
        for role in ("viewer", "analyst", "admin"):
            level = exact_ceiling(users[role])
            assert level is not None
            stored = set(filter_stored(level, persons, state).values_list("pk", flat=True))
            derived = custody_by_person(restrict(users[role], "view", Act.objects.all()))
            visible = set(restrict(users[role], "view", persons).values_list("pk", flat=True))
            wanted = {
                pk
                for pk in visible
                if derived.get(pk) is not None and derived[pk].status.value == state
            } | (
                {pk for pk in visible if pk not in derived or derived[pk].status.value == state}
                if state == Custody.UNKNOWN.value
                else set()
            )
            assert stored & visible == wanted, (state, role)


def test_a_user_whose_grant_lifts_a_secret_act_gets_custody_from_their_own_acts(record, users):
    coordinator = users["coordinator"]
    released = record["secretly_released"]
    release = Act.objects.get(victim_person=released, act_type__key="release")
    with change_context("test", detail="grant"):
        case = Case.objects.create(title="Fictional case")
    case.events.add(release.event)
    CaseGrant.objects.create(user=coordinator, case=case, level="secret", granted_by=None)
    assert exact_ceiling(coordinator) is None
    assert custody_seen_by(coordinator, [released.pk])[released.pk].status is (
        Custody.NOT_IN_CUSTODY
    )
    in_custody = filter_custody(coordinator, Person.objects.all(), "in_custody")
    assert released.pk not in set(in_custody.values_list("pk", flat=True))
    assert_stored_is_derived(users)


def test_a_documenter_who_recorded_a_restricted_act_sees_it_in_custody(users):
    documenter = users["documenter"]
    assert exact_ceiling(documenter) == "internal"
    with change_context("test", detail="documenter", actor=documenter):
        person = _person("Fictional Documented")
        act_of(person, "arrest", D(2025, 4, 1), "restricted")
    assert exact_ceiling(documenter) is None
    assert custody_seen_by(documenter, [person.pk])[person.pk].status is Custody.IN_CUSTODY
    assert custody_seen_by(users["viewer"], [person.pk]) == {}


def test_a_profile_reads_the_users_grants_once(record, users):
    client = login_verified(Client(), users["analyst"])
    url = f"/persons/{record['held'].pk}/"
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    grants = [q for q in queries.captured_queries if "policy_casegrant" in q["sql"]]
    assert len(grants) == 1, len(grants)


def test_a_page_of_ids_reads_what_a_subquery_of_the_same_persons_reads(record, users):
    without = _person("Fictional Nothing Recorded")
    ids = [record["held"].pk, record["ended"].pk, without.pk, record["secretly_released"].pk]
    for level in CEILINGS:
        for today in (None, D(2021, 6, 1), D(2030, 1, 1)):
            by_subquery = stored_at(
                level, Person.all_objects.filter(pk__in=ids).values("pk"), today
            )
            for page in (ids, ids[:1], [without.pk], [*ids, *ids], ids * 30):
                expected = {pk: s for pk, s in by_subquery.items() if pk in page}
                assert stored_at(level, page, today) == expected, (level, today, len(page))
    assert without.pk not in stored_at("secret", ids)
    assert stored_at("internal", []) == {}


def test_every_ceiling_read_in_one_query_gives_what_each_ceiling_derives(record, users, ctx):
    """The refresh reads the facts and every ceiling's view of the acts in one query; for each
    ceiling that is what deriving over the acts that ceiling's own filter returns gives, with
    acts, events and victims at every level and a soft-deleted act among them."""
    from vigil.records.custody_store import derived_at_every_ceiling

    mixed = _person("Fictional Mixed Levels", "restricted")
    act_of(mixed, "arrest", D(2022, 1, 1), "public")
    act_of(mixed, "sentence", D(2022, 6, 1), "internal", **_colony(60))
    act_of(mixed, "release", D(2023, 1, 1), "secret")
    hidden_event = Event.objects.create(
        title="Fictional secret event", date=D(2024, 1, 1), confidentiality="secret"
    )
    act_of(mixed, "detention", D(2024, 1, 1), "public", event=hidden_event)
    gone = act_of(mixed, "release", D(2025, 1, 1), "public")
    gone.soft_delete("fictional: entered by mistake")
    ids = [*(p.pk for p in record.values()), mixed.pk]
    with CaptureQueriesContext(connection) as queries:
        found = derived_at_every_ceiling(ids)
    assert len(queries.captured_queries) == 1
    for level in CEILINGS:
        assert found[level] == derived_at(level, ids), level
    assert found["restricted"][mixed.pk] != found["secret"][mixed.pk]
    assert mixed.pk not in found["public"]


def test_the_databases_custody_counts_are_the_counts_of_the_stored_states(record, users):
    from vigil.records.custody import custody_counts
    from vigil.records.custody_store import counts_at

    # The first day the ended term is over, the day before, and today: "term ended" moves.
    ends = stored_at("internal", [record["ended"].pk])[record["ended"].pk].term_ends
    assert ends is not None
    for day in (ends, ends + dt.timedelta(days=1), None):
        for level in CEILINGS:
            tallied = counts_at(level, day)
            assert tallied == custody_counts(stored_at(level, None, day).values()), (level, day)
    # Held, the term not yet ended, and the release only a secret act records.
    assert counts_at("internal", ends)["in_custody"] == 3
    after = counts_at("internal", ends + dt.timedelta(days=1))
    assert after["term_ended_release_not_recorded"] == 1 and after["in_custody"] == 2


def test_every_users_custody_counts_and_lists_are_what_their_acts_give(record, users):
    from vigil.records.custody import custody_counts
    from vigil.records.visible import custody_counts_seen_by

    coordinator = users["coordinator"]
    release = Act.objects.get(victim_person=record["secretly_released"], act_type__key="release")
    with change_context("test", detail="grant"):
        case = Case.objects.create(title="Fictional case")
    case.events.add(release.event)
    CaseGrant.objects.create(user=coordinator, case=case, level="secret", granted_by=None)
    assert exact_ceiling(coordinator) is None  # the derived path, beside the stored ones
    for role, user in users.items():
        derived = custody_by_person(restrict(user, "view", Act.objects.all()))
        assert custody_counts_seen_by(user) == custody_counts(derived.values()), role
        persons = restrict(user, "view", Person.objects.all())
        for status in Custody:
            if status is Custody.UNKNOWN:
                continue
            found = filter_custody(user, persons, status.value)
            found = set(found.values_list("pk", flat=True))
            wanted = {pk for pk, s in derived.items() if s.status is status}
            assert found == wanted & set(persons.values_list("pk", flat=True)), (role, status)
