"""The policy's parent checks are compiled once per request (``one_reading``) and reused in
every query of the page: each query, whatever its shape, still sees exactly what a fresh
evaluation sees."""

from __future__ import annotations

from typing import Any

import pytest

from vigil.policy.access import one_reading, restrict
from vigil.records.models import Act, ActCharge, ExternalId, Person, PersonName

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(ctx: Any) -> dict[str, Any]:
    """A person the analyst sees and a secret one, each with a name, an identifier and a
    charged act (the charge's act's victim is two parents up)."""
    found: dict[str, Any] = {}
    for key, level in (("shown", "internal"), ("hidden", "secret")):
        person = f.person(level, f"Fictional {key} person")
        f.saved(PersonName(person=person, value=f"Fictional {key}"), "internal")
        f.saved(ExternalId(person=person, scheme="example", value=f"fictional-{key}"), "internal")
        act = f.act("internal", victim_person=person)
        charge = f.saved(ActCharge(act=act, provision=f.provision()), "internal")
        found[key] = person
        found[f"{key}_charge"] = charge
    return found


def _answers(user: Any) -> dict[str, set[Any]]:
    """The same questions in several query shapes: top level, as a subquery, two parents up,
    and two models whose parent check is the same (person by ``person_id``)."""
    names = restrict(user, "view", PersonName.objects.all())
    return {
        "names": set(names.values_list("person_id", flat=True)),
        "identifiers": set(
            restrict(user, "view", ExternalId.objects.all()).values_list("person_id", flat=True)
        ),
        "named persons": set(
            Person.all_objects.filter(pk__in=names.values("person_id")).values_list(
                "pk", flat=True
            )
        ),
        "charges": set(
            restrict(user, "view", ActCharge.objects.all()).values_list("pk", flat=True)
        ),
        "acts with a visible charge": set(
            Act.all_objects.filter(
                pk__in=restrict(user, "view", ActCharge.objects.all()).values("act_id")
            ).values_list("victim_person_id", flat=True)
        ),
        "names counted": {names.count()},
    }


def test_one_reading_answers_every_query_shape_as_a_fresh_evaluation(record, users):
    analyst = users["analyst"]
    fresh = _answers(analyst)
    with one_reading():
        first = _answers(analyst)
        again = _answers(analyst)  # the compiled checks are reused now
    assert first == fresh
    assert again == fresh
    shown, hidden = record["shown"].pk, record["hidden"].pk
    assert fresh["names"] == fresh["identifiers"] == fresh["named persons"] == {shown}
    assert fresh["charges"] == {record["shown_charge"].pk}
    assert fresh["acts with a visible charge"] == {shown}
    assert hidden not in fresh["names"] | fresh["acts with a visible charge"]


def test_one_reading_keeps_each_users_checks_apart(record, users):
    with one_reading():
        analyst = _answers(users["analyst"])
        admin = _answers(users["admin"])
        viewer = _answers(users["viewer"])
    shown, hidden = record["shown"].pk, record["hidden"].pk
    assert analyst["names"] == {shown}
    assert admin["names"] == {shown, hidden}
    assert viewer["names"] == {shown}
    assert viewer["charges"] == {record["shown_charge"].pk}


def _secret_record_seen(user: Any, person: Any) -> dict[str, bool]:
    """Whether ``user`` sees a secret person's name (one parent up) and the charge on an act
    against them (two parents up), through the process's compiled checks."""
    with one_reading():
        return {
            "name": restrict(user, "view", PersonName.objects.filter(person=person)).exists(),
            "charge": restrict(user, "view", ActCharge.objects.filter(act__victim_person=person))
            .values_list("pk", flat=True)
            .exists(),
        }


def test_a_grant_revoked_mid_process_hides_the_record_at_once(record, users):
    from vigil.policy.access import _PROBE_SQL
    from vigil.policy.grants import revoke_grant
    from vigil.policy.models import CaseGrant
    from vigil.records.models import Case

    hidden = record["hidden"]
    case = f.saved(Case(title="Fictional case"))
    case.persons.add(hidden)
    viewer = users["viewer"]
    assert _secret_record_seen(viewer, hidden) == {"name": False, "charge": False}
    grant = CaseGrant.objects.create(user=viewer, case=case, level="secret")
    assert _secret_record_seen(viewer, hidden) == {"name": True, "charge": True}
    assert _secret_record_seen(viewer, hidden) == {"name": True, "charge": True}
    assert _PROBE_SQL  # the checks' SQL is kept past the request that compiled it
    revoke_grant(users["admin"], grant)
    assert _secret_record_seen(viewer, hidden) == {"name": False, "charge": False}
    # Inside one request too: a revocation there forgets what the request read.
    again = CaseGrant.objects.create(user=viewer, case=case, level="secret")
    with one_reading():
        assert restrict(viewer, "view", PersonName.objects.filter(person=hidden)).exists()
        revoke_grant(users["admin"], again)
        assert not restrict(viewer, "view", PersonName.objects.filter(person=hidden)).exists()
        charges = restrict(viewer, "view", ActCharge.objects.filter(act__victim_person=hidden))
        assert not charges.exists()


def test_a_changed_role_is_a_new_check_not_the_old_one_kept(record, users):
    hidden = record["hidden"]
    user = users["admin"]
    assert _secret_record_seen(user, hidden) == {"name": True, "charge": True}
    user.role = "analyst"
    user.save(update_fields=["role"])
    assert _secret_record_seen(user, hidden) == {"name": False, "charge": False}
    user.role = "admin"
    user.save(update_fields=["role"])
    assert _secret_record_seen(user, hidden) == {"name": True, "charge": True}
