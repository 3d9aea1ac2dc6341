"""Who may see a beneficiary's identity: an explicit grant, given and revoked here, audited.

The policy's rules table decides who may see a case at all (``restrict``); the identity behind
it needs more: a :class:`BeneficiaryAccess` the user holds for that case (or fund grant). The
policy asks :func:`holds_access` through an identity gate before any reveal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone

from vigil.core.errors import Forbidden, ValidationFailed
from vigil.policy.access import allows, role_of
from vigil.policy.auditing import audit
from vigil.policy.identity import register_identity_field, register_identity_gate
from vigil.policy.stepup import require_step_up
from vigil.protection.models import BeneficiaryAccess, FundGrant, ProtectionCase

if TYPE_CHECKING:
    from django.http import HttpRequest

    from vigil.accounts.types import User

CASE_IDENTITY = ("beneficiary_name", "beneficiary_contacts", "location", "dependants")
GRANT_IDENTITY = ("beneficiary_name",)


def _target(obj: models.Model) -> dict[str, Any]:
    if isinstance(obj, ProtectionCase):
        return {"case": obj}
    if isinstance(obj, FundGrant):
        return {"fund_grant": obj}
    raise ValidationFailed("Identity access is granted for a protection case or a fund grant.")


def holds_access(user: User, obj: models.Model) -> bool:
    """Whether ``user`` holds an active explicit grant to the identity behind ``obj``.

    A fund grant paid for a protection case shares the case's grant.
    """
    if role_of(user) is None or obj.pk is None:
        return False
    if isinstance(obj, FundGrant) and obj.case_id is not None:
        return BeneficiaryAccess.objects.active().filter(user=user, case_id=obj.case_id).exists()
    return BeneficiaryAccess.objects.active().filter(user=user, **_target(obj)).exists()


def may_see_identity(user: User, obj: models.Model) -> bool:
    """Whether ``user`` may reveal the identity behind ``obj`` (before step-up and quota)."""
    return allows(user, "reveal_identity", obj) and holds_access(user, obj)


def give_creator_access(user: User, obj: models.Model) -> BeneficiaryAccess:
    """The person who typed a beneficiary's identity may read it back (audited)."""
    access = BeneficiaryAccess.objects.create(user=user, granted_by=user, **_target(obj))
    audit("grant", actor=user, obj=obj, target=str(user.pk), scope="identity")
    return access


def grant_access(
    granter: User, user: User, obj: models.Model, *, request: HttpRequest | None = None
) -> BeneficiaryAccess:
    """Let ``user`` see who is behind ``obj`` (needs step-up; nobody but an admin self-grants)."""
    if role_of(user) is None:
        raise ValidationFailed("Access can only be granted to an active user with a role.")
    if not allows(granter, "grant", obj):
        audit("denied", actor=granter, obj=obj, action="grant")
        raise Forbidden("You may not grant access to this identity.")
    if role_of(granter) != "admin":
        if granter.pk == user.pk:
            raise Forbidden("You may not grant access to yourself; ask another coordinator.")
        if not holds_access(granter, obj):
            raise Forbidden("You may only pass on access to an identity you hold yourself.")
    if not allows(user, "reveal_identity", obj):
        raise ValidationFailed(
            "This user's role may not see identities on this case; a grant would not help."
        )
    require_step_up(request)
    with transaction.atomic():
        existing = BeneficiaryAccess.objects.active().filter(user=user, **_target(obj)).first()
        if existing is not None:
            return existing
        access = BeneficiaryAccess.objects.create(user=user, granted_by=granter, **_target(obj))
        audit("grant", actor=granter, obj=obj, target=str(user.pk), scope="identity")
    return access


def revoke_access(revoker: Any, access: BeneficiaryAccess) -> BeneficiaryAccess:
    """End ``access`` now (no step-up: taking access away must be quick)."""
    target = access.case or access.fund_grant
    assert target is not None, "an access is to a case or a grant (a check constraint)"
    if role_of(revoker) != "admin" and not allows(revoker, "grant", target):
        audit("denied", actor=revoker, obj=target, action="revoke")
        raise Forbidden("You may not revoke access to this identity.")
    with transaction.atomic():
        access.revoked_at = timezone.now()
        access.revoked_by = revoker
        access.save(update_fields=["revoked_at", "revoked_by"])
        audit("revoke", actor=revoker, obj=target, target=str(access.user_id), scope="identity")
    return access


def revoke_all_access(user: User) -> int:
    """Revoke every identity access ``user`` holds (lockdown); return how many."""
    count = BeneficiaryAccess.objects.active().filter(user=user).update(revoked_at=timezone.now())
    if count:
        audit("revoke", obj=user, target=str(user.pk), count=count, scope="identity")
    return count


def holders(obj: models.Model) -> list[BeneficiaryAccess]:
    """Active grants to the identity behind ``obj``, for the coordinator's access panel."""
    return list(BeneficiaryAccess.objects.active().filter(**_target(obj)).select_related("user"))


def register() -> None:
    """Declare identity fields and the gate to the policy; hook into lockdown."""
    for name in CASE_IDENTITY:
        register_identity_field("protection.protectioncase", name)
    for name in GRANT_IDENTITY:
        register_identity_field("protection.fundgrant", name)
    register_identity_gate("protection.protectioncase", holds_access)
    register_identity_gate("protection.fundgrant", holds_access)
    try:
        from vigil.accounts.lockdown import register_revoker
    except ImportError:
        return
    register_revoker(revoke_all_access)
