"""Protection cases: opened, assessed, acted on and closed through the policy, audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from tests.conftest import as_user, stepped_up
from vigil.audit.models import AuditEntry
from vigil.core.errors import Forbidden, NotFound, ValidationFailed
from vigil.core.models import Version
from vigil.protection import cases
from vigil.protection.access import grant_access, holds_access, revoke_access
from vigil.protection.models import ActionKind, ProtectionCase, Urgency

pytestmark = pytest.mark.django_db


def _open(user, name, **extra):
    with as_user(user):
        return cases.open_case(user, beneficiary_name=name, **extra)


def test_a_case_is_named_by_a_pseudonym_and_its_identity_never_reaches_a_column(users, canary):
    case = _open(
        users["documenter"],
        canary,
        beneficiary_contacts=f"Signal +000 {canary}",
        location=f"Fictional town {canary}",
        dependants=f"two children of {canary}",
        threats="summoned twice; searched",
    )
    assert str(case) == f"Case P-{case.number:04d}"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ProtectionCase._meta.db_table}")
        raw = repr(cursor.fetchall())
    assert canary not in raw
    assert "summoned twice" in raw  # the assessment is plain text, the identity is not
    snapshots = repr(list(Version.objects.filter(object_id=case.pk).values("snapshot")))
    assert canary not in snapshots
    assert ProtectionCase.objects.get(pk=case.pk).beneficiary_name == canary


def test_a_case_is_never_below_restricted(users, canary):
    with as_user(users["coordinator"]):
        case = ProtectionCase(beneficiary_name=canary, confidentiality="internal")
        case.save()
    assert case.confidentiality == "restricted"
    with as_user(users["coordinator"]), pytest.raises(ValidationFailed):
        cases.open_case(users["coordinator"], beneficiary_name=canary, confidentiality="public")


def test_numbers_follow_one_another(users):
    first = _open(users["coordinator"], "Fictional One")
    second = _open(users["coordinator"], "Fictional Two")
    assert second.number == first.number + 1


def test_writing_the_identity_is_audited_by_field_name_never_value(users, canary):
    case = _open(users["coordinator"], canary, location="Fictional city")
    written = AuditEntry.objects.filter(event="identity_written", object_id=str(case.pk))
    fields = sorted(e.meta["field"] for e in written)
    assert fields == sorted(["beneficiary_name", "beneficiary_contacts", "location", "dependants"])
    assert canary not in repr(list(AuditEntry.objects.values()))


def test_the_creator_is_granted_and_a_coordinator_is_not_until_granted(users, canary):
    case = _open(users["documenter"], canary)
    assert holds_access(users["documenter"], case)
    coordinator = users["coordinator"]
    assert cases.get_case(coordinator, case.pk) == case  # sees the case...
    with pytest.raises(Forbidden):  # ...not who it is
        cases.reveal_identity(coordinator, case, stepped_up(coordinator))
    denied = AuditEntry.objects.filter(event="denied", object_id=str(case.pk))
    assert denied.exists()


def test_a_granted_user_reveals_the_identity_with_step_up_and_it_is_audited(users, canary):
    case = _open(users["documenter"], canary, location="Fictional village")
    boss, other = users["coordinator"], users["coordinator2"]
    with pytest.raises(Forbidden):  # a coordinator may not pass on what they do not hold
        grant_access(boss, other, case, request=stepped_up(boss))
    grant_access(users["admin"], boss, case, request=stepped_up(users["admin"]))
    access = grant_access(boss, other, case, request=stepped_up(boss))
    identity = cases.reveal_identity(other, case, stepped_up(other))
    assert identity["beneficiary_name"] == canary
    assert identity["location"] == "Fictional village"
    reads = AuditEntry.objects.filter(event="identity_read", object_id=str(case.pk))
    assert reads.count() == 4
    revoke_access(boss, access)
    with pytest.raises(Forbidden):
        cases.reveal_identity(other, case, stepped_up(other))


def test_nobody_but_an_admin_grants_themselves(users, canary):
    case = _open(users["documenter"], canary)
    with pytest.raises(Forbidden):
        grant_access(users["coordinator"], users["coordinator"], case)
    with pytest.raises(Forbidden):  # a documenter may not grant at all
        grant_access(users["documenter"], users["colleague"], case)


def test_a_documenter_sees_own_cases_and_not_a_colleagues(users, canary):
    case = _open(users["documenter"], canary)
    with pytest.raises(NotFound):
        cases.get_case(users["colleague"], case.pk)
    with pytest.raises(NotFound):
        cases.get_case(users["viewer"], case.pk)


def test_a_secret_case_is_hidden_from_analysts_and_coordinators(users, canary):
    case = _open(users["documenter"], canary, confidentiality="secret")
    assert not cases.visible_cases(users["analyst"]).filter(pk=case.pk).exists()
    assert not cases.visible_cases(users["coordinator"]).filter(pk=case.pk).exists()
    assert cases.visible_cases(users["admin"]).filter(pk=case.pk).exists()


def test_only_a_granted_user_changes_the_identity(users, canary):
    case = _open(users["documenter"], canary)
    with as_user(users["coordinator"]), pytest.raises(Forbidden):
        cases.update_assessment(users["coordinator"], case, beneficiary_name="Fictional Other")
    with as_user(users["coordinator"]):
        cases.update_assessment(users["coordinator"], case, urgency=Urgency.CRITICAL)
    assert ProtectionCase.objects.get(pk=case.pk).beneficiary_name == canary


def test_the_board_orders_open_cases_by_urgency_then_due_and_names_none(users, canary):
    coordinator = users["coordinator"]
    low = _open(coordinator, f"{canary} low", urgency=Urgency.LOW)
    late = _open(coordinator, f"{canary} late", urgency=Urgency.CRITICAL)
    soon = _open(coordinator, f"{canary} soon", urgency=Urgency.CRITICAL)
    closed = _open(coordinator, f"{canary} closed", urgency=Urgency.CRITICAL)
    with as_user(coordinator):
        cases.add_action(coordinator, late, kind=ActionKind.RELOCATION, due="2030-05-01")
        cases.add_action(coordinator, soon, kind=ActionKind.LEGAL_AID, due="2020-01-01")
        cases.add_action(coordinator, soon, kind=ActionKind.QUIET_DIPLOMACY)
        cases.close_case(coordinator, closed, "Fictional outcome: left the country safely")
    rows = cases.board(coordinator, today=dt.date(2026, 1, 1))
    assert [r.id for r in rows] == [soon.pk, late.pk, low.pk]
    assert rows[0].overdue and not rows[1].overdue
    assert rows[0].open_actions == 2
    assert rows[0].kinds == ("legal aid", "quiet diplomacy")
    assert canary not in repr(rows)
    assert all(r.identity_granted for r in rows)  # the coordinator typed these identities
    others = cases.board(users["coordinator2"], today=dt.date(2026, 1, 1))
    assert [r.id for r in others] == [r.id for r in rows]
    assert not any(r.identity_granted for r in others)


def test_actions_follow_the_case_and_need_the_right_to_change_it(users, canary):
    case = _open(users["documenter"], canary, confidentiality="secret")
    with as_user(users["documenter"]):
        action = cases.add_action(users["documenter"], case, kind="legal_aid", due="2026-02-01")
    assert action.confidentiality == "secret"
    with as_user(users["colleague"]), pytest.raises(Forbidden):
        cases.add_action(users["colleague"], case, kind="legal_aid")
    with as_user(users["documenter"]), pytest.raises(ValidationFailed):
        cases.add_action(users["documenter"], case, kind="bribe")
    with as_user(users["documenter"]), pytest.raises(ValidationFailed):
        cases.add_action(users["documenter"], case, kind="legal_aid", due="next week")
    with as_user(users["documenter"]):
        cases.update_action(users["documenter"], action, status="done")
    assert not cases.board(users["documenter"])[0].open_actions


def test_closing_needs_an_outcome(users, canary):
    case = _open(users["coordinator"], canary)
    with as_user(users["coordinator"]), pytest.raises(ValidationFailed):
        cases.close_case(users["coordinator"], case, "  ")
    with as_user(users["coordinator"]):
        cases.close_case(users["coordinator"], case, "Fictional outcome")
    assert cases.board(users["coordinator"]) == []


def test_lockdown_revokes_identity_access(users, canary):
    from vigil.accounts.lockdown import registered_revokers

    case = _open(users["documenter"], canary)
    revoker = next(fn for name, fn in registered_revokers().items() if "protection" in name)
    assert revoker(users["documenter"]) == 1
    assert not holds_access(users["documenter"], case)


def test_granting_to_a_role_that_may_not_see_identities_is_refused_clearly(users, canary):
    case = _open(users["coordinator"], canary)
    boss = users["coordinator"]
    for role in ("analyst", "viewer", "colleague"):
        with pytest.raises(ValidationFailed, match="may not see identities"):
            grant_access(boss, users[role], case, request=stepped_up(boss))
