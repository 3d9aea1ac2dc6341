"""Req 14: purge is the only hard delete, needs two different admins, and is audited."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.surface.people import make_fictional_person, next_code
from vigil.accounts.models import Role
from vigil.accounts.totp import confirmed_device, verify
from vigil.audit.events import Event
from vigil.audit.models import AuditEntry
from vigil.audit.services import verify_log
from vigil.core.context import change_context
from vigil.core.errors import HardDeleteRefused
from vigil.core.hard_delete import hard_delete_allowed, hard_delete_permitted
from vigil.core.history import history_of
from vigil.core.models import Version
from vigil.purge.workflow import (
    PurgeRefused,
    approve_purge,
    pending_requests,
    purge_plan,
    request_purge,
)
from vigil.records.models import ExternalId, Information, Person, PersonName, Source
from vigil.search.models import NameForm, NameKey, NameText, NameToken


@pytest.fixture
def admins(make_admin):
    return make_admin("fictional-admin-one"), make_admin("fictional-admin-two")


@pytest.fixture
def deleted_person(db):
    person = make_fictional_person()
    with change_context("test"):
        person.soft_delete("fictional duplicate")
    return person


def _request(person, admin, reason="duplicate"):
    return request_purge(
        "records.person", str(person.pk), reason=reason, admin=admin, code=next_code(admin)
    )


def test_req14_record_delete_is_refused_outside_a_purge(deleted_person):
    assert not hard_delete_allowed()
    with pytest.raises(HardDeleteRefused):
        deleted_person.delete()
    with pytest.raises(HardDeleteRefused):
        Person.all_objects.filter(pk=deleted_person.pk).delete()
    assert Person.all_objects.filter(pk=deleted_person.pk).exists()


def test_req14_hard_delete_guard_is_lifted_only_inside_the_purge_context(db):
    with hard_delete_permitted():
        assert hard_delete_allowed()
    assert not hard_delete_allowed()
    with change_context("test"):
        person = Person.objects.create(display_name="Fictia Guardtest", is_synthetic=True)
    with hard_delete_permitted():
        person.delete()
    assert not Person.all_objects.filter(display_name="Fictia Guardtest").exists()


def test_req14_purge_needs_a_second_admin(deleted_person, admins):
    first, _ = admins
    request = _request(deleted_person, first)
    with pytest.raises(PurgeRefused, match="second administrator"):
        approve_purge(request.id, admin=first, code=next_code(first))
    assert Person.all_objects.filter(pk=deleted_person.pk).exists()


def test_req14_purge_approved_by_another_admin_deletes_record_dependents_and_history(
    deleted_person, admins
):
    first, second = admins
    pk = deleted_person.pk
    assert history_of(deleted_person).exists()
    request = _request(deleted_person, first)
    assert request.rows == 5  # person, two names, identifier, the information citing it
    result = approve_purge(request.id, admin=second, code=next_code(second))
    assert result.deleted == {
        "records.person": 1,
        "records.personname": 2,
        "records.externalid": 1,
        "records.information": 1,
    }
    assert not Person.all_objects.filter(pk=pk).exists()
    assert not PersonName.all_objects.filter(person_id=pk).exists()
    assert not ExternalId.all_objects.filter(person_id=pk).exists()
    assert not Information.all_objects.filter(target_id=pk).exists()
    assert not Version.objects.filter(object_id=pk).exists()
    assert result.versions >= 6
    assert Source.objects.filter(title__startswith="Fictional source").exists()  # not a dependent


def test_req14_a_purged_person_s_names_are_in_no_search_table(db, admins):
    first, second = admins
    person = make_fictional_person("Fictia Purgowska")
    with change_context("test"):
        Person.objects.create(display_name="Ales Kvorvalik", is_synthetic=True)
    words = {"fictia", "purgowska", "фікцыя", "тэстаўна"}
    assert {f"t:{word}" for word in words} <= set(NameToken.objects.values_list("token", flat=True))
    texts = NameText.objects.values_list("normalised", flat=True)
    assert [text for text in texts.all() if words & set(text.split())]
    with change_context("test"):
        person.soft_delete("fictional duplicate")
    request = _request(person, first)
    approve_purge(request.id, admin=second, code=next_code(second))
    forms = NameForm.objects.values_list("normalised", flat=True)
    assert not [text for text in forms if words & set(text.split())]
    stored = [*NameKey.objects.values_list("key", flat=True)]
    stored += [*NameToken.objects.values_list("token", flat=True)]
    assert not [key for key in stored if key.removeprefix("t:") in words]
    # Nor its names' normalised texts (the key rows' texts, ``NameText``).
    assert not [text for text in texts.all() if words & set(text.split())]
    assert "ales kvorvalik" in set(texts.all())  # another person's text stays


def test_req14_purge_is_audited_by_both_admins_without_values(deleted_person, admins):
    first, second = admins
    request = _request(deleted_person, first)
    approve_purge(request.id, admin=second, code=next_code(second))
    entries = list(AuditEntry.objects.filter(event=Event.PURGE).order_by("seq"))
    assert [(e.actor_id, e.meta["action"]) for e in entries] == [
        (str(first.pk), "purge-request"),
        (str(second.pk), "purge-approve"),
    ]
    assert all(e.object_id == str(deleted_person.pk) for e in entries)
    assert all(e.meta["reason"] == "duplicate" for e in entries)
    text = " ".join(str(e.meta) for e in entries)
    assert "Fictia" not in text and "fictional duplicate" not in text
    assert verify_log().size == AuditEntry.objects.count()  # raises when the chain is broken


def test_req14_purge_refuses_a_record_that_is_not_soft_deleted(admins, db):
    person = make_fictional_person("Fictia Alive")
    with pytest.raises(PurgeRefused, match="soft-deleted"):
        _request(person, admins[0])
    assert not AuditEntry.objects.filter(event=Event.PURGE).exists()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ANALYST, Role.VIEWER])
def test_req14_purge_refuses_users_who_are_not_admins(deleted_person, make_admin, role):
    user = make_admin(f"fictional-{role}", role=role)
    with pytest.raises(PurgeRefused, match="administrator"):
        _request(deleted_person, user)


def test_req14_purge_refuses_a_wrong_or_replayed_code_and_audits_it(deleted_person, admins):
    first, second = admins
    with pytest.raises(PurgeRefused, match="code"):
        request_purge(
            "records.person", str(deleted_person.pk), reason="safety", admin=first, code="000000"
        )
    request = _request(deleted_person, first)
    used = next_code(second)
    assert verify(confirmed_device(second), used)  # the code is spent before the approval
    with pytest.raises(PurgeRefused, match="code"):
        approve_purge(request.id, admin=second, code=used)
    denials = AuditEntry.objects.filter(event=Event.DENIED, meta__reason="bad_code")
    assert denials.count() == 2
    assert Person.all_objects.filter(pk=deleted_person.pk).exists()


def test_req14_purge_request_runs_once(deleted_person, admins, make_admin):
    first, second = admins
    third = make_admin("fictional-admin-three")
    request = _request(deleted_person, first)
    approve_purge(request.id, admin=second, code=next_code(second))
    with pytest.raises(PurgeRefused, match="already"):
        approve_purge(request.id, admin=third, code=next_code(third))


def test_req14_purge_refuses_when_the_record_changed_since_the_request(deleted_person, admins):
    first, second = admins
    request = _request(deleted_person, first)
    with change_context("test"):
        PersonName.objects.create(person=deleted_person, value="Fictia Late", normalised="late")
    with pytest.raises(PurgeRefused, match="changed since the request"):
        approve_purge(request.id, admin=second, code=next_code(second))
    assert Person.all_objects.filter(pk=deleted_person.pk).exists()


def test_req14_purge_refuses_a_record_restored_after_the_request(deleted_person, admins):
    first, second = admins
    request = _request(deleted_person, first)
    with change_context("test"):
        deleted_person.restore()
    with pytest.raises(PurgeRefused, match="restored"):
        approve_purge(request.id, admin=second, code=next_code(second))
    assert Person.objects.filter(pk=deleted_person.pk).exists()


def test_req14_pending_requests_lists_only_open_requests(deleted_person, admins):
    first, second = admins
    request = _request(deleted_person, first)
    assert [r.id for r in pending_requests()] == [request.id]
    approve_purge(request.id, admin=second, code=next_code(second))
    assert pending_requests() == []


def test_req14_purge_plan_lists_dependents_before_the_record(deleted_person):
    plan = purge_plan(deleted_person)
    assert plan[-1] == deleted_person
    assert {type(row).__name__ for row in plan[:-1]} == {"PersonName", "ExternalId", "Information"}


def test_req14_purge_command_requests_then_approves(deleted_person, admins, capsys):
    first, second = admins
    args = ["purge", "request", "records.person", str(deleted_person.pk), "--reason", "safety"]
    call_command(*args, "--as", first.username, "--code", next_code(first))
    request_id = pending_requests()[0].id
    assert f"Purge request {request_id}" in capsys.readouterr().out
    call_command(
        "purge", "approve", str(request_id), "--as", second.username, "--code", next_code(second)
    )
    assert "Purged records.person" in capsys.readouterr().out
    assert not Person.all_objects.filter(pk=deleted_person.pk).exists()


def test_purging_a_batch_created_record_leaves_no_trace_in_its_batch(admins):
    from vigil.core.history import batch_ids, bulk_create_records, count_versions
    from vigil.core.models import VersionBatch

    first, second = admins
    with change_context("test", detail="fictional import"):
        people = bulk_create_records(
            [Person(display_name=f"Fictia Batchova {i}", is_synthetic=True) for i in range(2)]
        )
        names = bulk_create_records(
            [PersonName(person=p, value=p.display_name, normalised="fictia") for p in people]
        )
        people[0].soft_delete("fictional duplicate")  # stores its version 1 first
    request = _request(people[0], first)
    result = approve_purge(request.id, admin=second, code=next_code(second))
    assert result.deleted == {"records.person": 1, "records.personname": 1}
    # The person's two stored versions and its name's version 1, derived from the batch.
    assert result.versions == 3
    gone = {people[0].pk, names[0].pk}
    for batch in VersionBatch.objects.all():
        assert not gone & set(batch_ids(batch))
        assert batch.count == len(batch_ids(batch)) == 1
    assert not Version.objects.filter(object_id__in=gone).exists()
    assert count_versions() == 2  # the other person and its name, still derived
    assert [v.version for v in history_of(names[1])] == [1]
