"""Granting and revoking per-case access; lockdown revokes every grant."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import stale, stepped_up
from vigil.accounts.stepup import StepUpRequired
from vigil.audit.models import AuditEntry
from vigil.core.errors import Forbidden, ValidationFailed
from vigil.policy.access import allows
from vigil.policy.grants import grant_case, revoke_all_grants, revoke_grant
from vigil.policy.models import CaseGrant
from vigil.records.models import Case

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_with_secret(ctx):
    secret = f.person("secret", "Fictional Secret Samplevich")
    case = f.saved(Case(title="Fictional case"))
    case.persons.add(secret)
    return case, secret


def test_req11_coordinator_grant_lifts_restricted_for_the_grantee(case_with_secret, users):
    case, _ = case_with_secret
    witness = f.person("restricted")
    case.persons.add(witness)
    coordinator, viewer = users["coordinator"], users["viewer"]
    assert not allows(viewer, "view", witness)
    grant = grant_case(coordinator, viewer, case, "restricted", request=stepped_up(coordinator))
    assert allows(viewer, "view", witness)
    entry = AuditEntry.objects.get(event="grant")
    assert (entry.object_id, entry.meta["target"]) == (str(case.pk), str(viewer.pk))
    revoke_grant(coordinator, grant, reason="fictional end of assignment")
    assert not allows(viewer, "view", witness)
    assert AuditEntry.objects.filter(event="revoke").exists()


def test_req9_granting_needs_a_recent_second_factor(case_with_secret, users):
    case, _ = case_with_secret
    with pytest.raises(StepUpRequired):
        grant_case(
            users["coordinator"],
            users["viewer"],
            case,
            "restricted",
            request=stale(users["coordinator"]),
        )
    assert not CaseGrant.objects.exists()


def test_req11_only_coordinators_and_admins_grant(case_with_secret, users):
    case, _ = case_with_secret
    for role in ("analyst", "documenter", "viewer"):
        with pytest.raises(Forbidden):
            grant_case(
                users[role], users["colleague"], case, "restricted", request=stepped_up(users[role])
            )
    assert not CaseGrant.objects.exists()


def test_req11_coordinator_cannot_grant_themselves_or_secret_they_do_not_hold(
    case_with_secret, users
):
    case, secret = case_with_secret
    coordinator = users["coordinator"]
    request = stepped_up(coordinator)
    with pytest.raises(Forbidden):
        grant_case(coordinator, coordinator, case, "secret", request=request)
    with pytest.raises(Forbidden):
        grant_case(coordinator, users["analyst"], case, "secret", request=request)
    grant_case(users["admin"], coordinator, case, "secret", request=stepped_up(users["admin"]))
    grant_case(coordinator, users["analyst"], case, "secret", request=request)
    assert allows(users["analyst"], "view", secret)


def test_req11_grant_refuses_past_expiry_and_unknown_level(case_with_secret, users):
    case, _ = case_with_secret
    admin = users["admin"]
    with pytest.raises(ValidationFailed):
        grant_case(admin, users["viewer"], case, "public", request=stepped_up(admin))
    with pytest.raises(ValidationFailed):
        grant_case(
            admin,
            users["viewer"],
            case,
            "secret",
            expires=timezone.now() - timedelta(minutes=1),
            request=stepped_up(admin),
        )


def test_req10_revoke_all_grants_ends_every_active_grant(case_with_secret, users):
    case, secret = case_with_secret
    viewer = users["viewer"]
    CaseGrant.objects.create(user=viewer, case=case, level="secret")
    CaseGrant.objects.create(user=viewer, case=case, level="restricted")
    assert allows(viewer, "view", secret)
    assert revoke_all_grants(viewer) == 2
    assert not allows(viewer, "view", secret)
    assert CaseGrant.objects.filter(user=viewer).count() == 2


def test_req10_lockdown_revokes_grants_through_the_registered_hook(case_with_secret, users):
    from vigil.accounts.lockdown import lockdown, registered_revokers

    assert any("policy" in name for name in registered_revokers())
    case, secret = case_with_secret
    viewer = users["viewer"]
    CaseGrant.objects.create(user=viewer, case=case, level="secret")
    report = lockdown(viewer, reason="drill")
    assert sum(report.revoked.values()) == 1
    assert not CaseGrant.objects.active().filter(user=viewer).exists()


def test_req14_grants_are_never_hard_deleted(case_with_secret, users):
    from vigil.core.errors import HardDeleteRefused

    grant = CaseGrant.objects.create(user=users["viewer"], case=case_with_secret[0], level="secret")
    with pytest.raises(HardDeleteRefused):
        grant.delete()
    with pytest.raises(HardDeleteRefused):
        CaseGrant.objects.all().delete()
