"""restrict(): explicit rules per role, deny by default, parents hide children, history."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session

from tests.conftest import as_user, make_user
from vigil.core.errors import Forbidden
from vigil.core.models import Version
from vigil.policy.access import allows, check_write, restrict, save_checked
from vigil.policy.models import CaseGrant, UserFlag
from vigil.records.models import Case, Person, PersonName, Source, Term

from . import factories as f

pytestmark = pytest.mark.django_db

LEVELS = ("public", "internal", "restricted", "secret")


def visible(user, model=Person, action="view"):
    return set(restrict(user, action, model.objects.all()).values_list("pk", flat=True))


@pytest.fixture
def people(ctx):
    return {level: f.person(level, f"Fictional {level} person") for level in LEVELS}


def ids(people, *levels):
    return {people[level].pk for level in levels}


def test_req11_anonymous_sees_nothing_through_restrict(people):
    assert visible(AnonymousUser()) == set()
    assert visible(None) == set()


def test_req11_inactive_user_sees_nothing(people, users):
    viewer = users["viewer"]
    viewer.is_active = False
    viewer.save()
    assert visible(viewer) == set()


def test_req11_unknown_action_is_denied(people, users):
    assert visible(users["admin"], action="publish") == set()


def test_req11_model_not_in_the_table_returns_none(users, ctx):
    assert restrict(users["admin"], "view", Session.objects.all()).query.is_empty()


def test_req11_viewer_reads_public_and_internal(people, users):
    assert visible(users["viewer"]) == ids(people, "public", "internal")
    assert visible(users["viewer"], action="change") == set()


def test_req11_documenter_reads_public_internal_and_own_restricted(people, users):
    documenter = users["documenter"]
    with as_user(documenter):
        own = f.person("secret", "Fictional own secret person")
    assert visible(documenter) == ids(people, "public", "internal") | {own.pk}
    assert visible(documenter, action="change") == {own.pk}
    assert own.pk not in visible(users["colleague"])


def test_req11_analyst_reads_up_to_restricted(people, users):
    assert visible(users["analyst"]) == ids(people, "public", "internal", "restricted")


def test_req11_coordinator_reads_secret_only_with_a_secret_grant(people, users):
    coordinator = users["coordinator"]
    assert visible(coordinator) == ids(people, "public", "internal", "restricted")
    case = f.saved(Case(title="Fictional case"))
    case.persons.add(people["secret"])
    CaseGrant.objects.create(user=coordinator, case=case, level="secret", granted_by=None)
    assert visible(coordinator) == ids(people, *LEVELS)


def test_req11_admin_reads_everything(people, users):
    assert visible(users["admin"]) == ids(people, *LEVELS)


def test_req11_restricted_grant_does_not_lift_secret(people, users):
    viewer = users["viewer"]
    case = f.saved(Case(title="Fictional case"))
    case.persons.add(people["restricted"], people["secret"])
    CaseGrant.objects.create(user=viewer, case=case, level="restricted", granted_by=None)
    assert visible(viewer) == ids(people, "public", "internal", "restricted")


def test_req11_grant_lifts_acts_of_case_events(users, ctx):
    viewer = users["viewer"]
    secret_act = f.act("secret")
    case = f.saved(Case(title="Fictional case"))
    case.events.add(secret_act.event)
    from vigil.records.models import Act

    assert secret_act.pk not in visible(viewer, Act)
    CaseGrant.objects.create(user=viewer, case=case, level="secret", granted_by=None)
    assert secret_act.pk in visible(viewer, Act)


def test_req11_expired_and_revoked_grants_lift_nothing(people, users):
    from datetime import timedelta

    from django.utils import timezone

    viewer = users["viewer"]
    case = f.saved(Case(title="Fictional case"))
    case.persons.add(people["restricted"])
    CaseGrant.objects.create(
        user=viewer, case=case, level="secret", expires=timezone.now() - timedelta(seconds=1)
    )
    CaseGrant.objects.create(user=viewer, case=case, level="secret", revoked_at=timezone.now())
    assert people["restricted"].pk not in visible(viewer)


def test_req11_name_of_a_hidden_person_stays_hidden(users, ctx):
    secret = f.person("secret")
    name = f.saved(PersonName(person=secret, value="Fictional Hidden Name"), "internal")
    assert name.pk not in visible(users["viewer"], PersonName)
    assert name.pk in visible(users["admin"], PersonName)


def test_req11_reference_data_is_readable_by_all_and_changed_by_coordinators(users, ctx):
    f.term("act_type", "arrest")
    assert restrict(users["viewer"], "view", Term.objects.all()).exists()
    assert not restrict(users["analyst"], "change", Term.objects.all()).exists()
    assert restrict(users["coordinator"], "change", Term.objects.all()).exists()


def test_req11_users_see_only_themselves_unless_coordinator(users):
    from vigil.accounts.models import User

    assert set(restrict(users["viewer"], "view", User.objects.all())) == {users["viewer"]}
    assert restrict(users["coordinator"], "view", User.objects.all()).count() == len(users)


def test_req11_flags_are_for_coordinators_only(users):
    UserFlag.objects.create(user=users["viewer"], kind="quota_reveal")
    assert not restrict(users["viewer"], "view", UserFlag.objects.all()).exists()
    assert restrict(users["coordinator"], "view", UserFlag.objects.all()).exists()


def test_req11_history_of_a_witness_source_needs_reveal_permission(users, ctx):
    witness = f.person("restricted", "Fictional Witness Samplenka")
    source = f.source("restricted", source_person=witness)
    analyst_versions = restrict(users["analyst"], "view", Version.objects.all())
    assert not analyst_versions.filter(object_id=source.pk).exists()
    assert analyst_versions.filter(object_id=witness.pk).exists()
    admin_versions = restrict(users["admin"], "view", Version.objects.all())
    assert admin_versions.filter(object_id=source.pk).exists()


def test_req11_check_write_refuses_a_record_outside_the_permitted_set(users, ctx):
    record = f.person("internal")
    with pytest.raises(Forbidden) as raised:
        check_write(users["documenter"], "change", record)
    assert raised.value.status == 403
    check_write(users["coordinator"], "change", record)


def test_req11_save_checked_adds_a_documenters_record(users):
    documenter = users["documenter"]
    with as_user(documenter):
        record = save_checked(documenter, "add", Person(display_name="Fictional New Person"))
    assert Person.objects.filter(pk=record.pk, created_by=documenter).exists()


def test_req12_documenter_publishing_is_rolled_back(users):
    documenter = users["documenter"]
    with as_user(documenter):
        record = save_checked(documenter, "add", Person(display_name="Fictional Draft"))
        record.confidentiality = "public"
        with pytest.raises(Forbidden):
            save_checked(documenter, "change", record)
    stored = Person.objects.get(pk=record.pk)
    assert (stored.confidentiality, stored.version) == ("internal", 1)
    assert record.version == 1


def test_req11_save_checked_refuses_changing_a_colleagues_record(users):
    with as_user(users["colleague"]):
        theirs = f.person("internal")
    with as_user(users["documenter"]):
        theirs.notes = "fictional edit"
        with pytest.raises(Forbidden):
            save_checked(users["documenter"], "change", theirs)
    assert Person.objects.get(pk=theirs.pk).notes == ""


def test_req11_save_checked_adding_above_the_role_is_rolled_back(users):
    analyst = users["analyst"]
    with as_user(analyst), pytest.raises(Forbidden):
        save_checked(analyst, "add", Person(display_name="Fictional", confidentiality="secret"))
    assert not Person.objects.filter(display_name="Fictional").exists()


def test_req11_soft_delete_needs_delete_permission(users):
    with as_user(users["documenter"]):
        own = f.person("internal")
        with pytest.raises(Forbidden):
            save_checked(users["documenter"], "delete", own, reason="fictional")
    with as_user(users["coordinator"]):
        save_checked(users["coordinator"], "delete", own, reason="fictional duplicate")
    assert not Person.objects.filter(pk=own.pk).exists()
    assert Person.all_objects.get(pk=own.pk).deletion_reason == "fictional duplicate"


def test_req11_witness_source_is_restricted_and_hidden_from_viewers(users, ctx):
    witness = f.person("internal")
    source = f.source("internal", source_person=witness)
    assert source.confidentiality == "restricted"
    assert not allows(users["viewer"], "view", source)
    assert allows(users["analyst"], "view", source)


def test_req11_denial_is_audited(users, ctx):
    from vigil.audit.models import AuditEntry

    record = f.person("secret")
    with pytest.raises(Forbidden):
        check_write(users["viewer"], "view", record)
    entry = AuditEntry.objects.filter(event="denied").latest("seq")
    assert (entry.object_id, entry.meta["action"]) == (str(record.pk), "view")


def test_req11_other_users_new_user_sees_no_secret(users, ctx):
    stranger = make_user("viewer", "fictional-stranger")
    secret = f.source("secret")
    assert not allows(stranger, "view", secret)
    assert not restrict(stranger, "view", Source.objects.all()).exists()
