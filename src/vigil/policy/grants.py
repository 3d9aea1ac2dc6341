"""Granting, revoking and listing per-case access; lockdown revokes every grant at once."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from vigil.core.errors import Forbidden, ValidationFailed
from vigil.policy.access import allows, forget_grants, role_of
from vigil.policy.auditing import audit
from vigil.policy.models import CaseGrant, GrantLevel
from vigil.policy.stepup import require_step_up

if TYPE_CHECKING:
    from django.http import HttpRequest

    from vigil.accounts.types import User


def holds_grant(user: User, case: Any, level: str) -> bool:
    """Whether ``user`` holds an active grant on ``case`` of exactly ``level`` or higher."""
    levels = [GrantLevel.SECRET] if level == GrantLevel.SECRET else list(GrantLevel)
    return CaseGrant.objects.active().filter(user=user, case=case, level__in=levels).exists()


def grant_case(
    granter: User,
    user: User,
    case: Any,
    level: str,
    *,
    expires: datetime | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> CaseGrant:
    """Give ``user`` access to the records of ``case`` up to ``level`` (needs step-up)."""
    if level not in GrantLevel.values:
        raise ValidationFailed(f"A grant level is one of {', '.join(GrantLevel.values)}.")
    if role_of(user) is None:
        raise ValidationFailed("Access can only be granted to an active user with a role.")
    if expires is not None and expires <= timezone.now():
        raise ValidationFailed("A grant must expire in the future.")
    if not allows(granter, "grant", case):
        audit("denied", actor=granter, obj=case, action="grant")
        raise Forbidden("You may not grant access to this case.")
    if role_of(granter) != "admin":
        # Nobody but an admin widens their own access or passes on more than they hold.
        if granter.pk == user.pk:
            raise Forbidden("You may not grant access to yourself; ask another coordinator.")
        if level == GrantLevel.SECRET and not holds_grant(granter, case, GrantLevel.SECRET):
            raise Forbidden("You may only grant secret access to a case you hold it for.")
    require_step_up(request)
    with transaction.atomic():
        grant = CaseGrant.objects.create(
            user=user,
            case=case,
            level=level,
            granted_by=granter,
            expires=expires,
            reason=reason,
        )
        audit("grant", actor=granter, obj=case, target=str(user.pk), role=level, scope="case")
    return grant


def revoke_grant(revoker: Any, grant: CaseGrant, *, reason: str = "") -> CaseGrant:
    """End ``grant`` now (no step-up: taking access away must be quick)."""
    if role_of(revoker) != "admin" and not allows(revoker, "grant", grant.case):
        audit("denied", actor=revoker, obj=grant.case, action="revoke")
        raise Forbidden("You may not revoke access to this case.")
    with transaction.atomic():
        grant.revoked_at = timezone.now()
        grant.revoked_by = revoker
        grant.revoke_reason = reason
        grant.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        audit("revoke", actor=revoker, obj=grant.case, target=str(grant.user_id), scope="case")
    return grant


def revoke_all_grants(user: User, *, actor: User | None = None) -> int:
    """Revoke every active grant ``user`` holds (lockdown); return how many."""
    with transaction.atomic():
        count = (
            CaseGrant.objects.active()
            .filter(user=user)
            .update(revoked_at=timezone.now(), revoked_by=actor, revoke_reason="lockdown")
        )
        if count:
            audit("revoke", actor=actor, obj=user, target=str(user.pk), count=count, scope="all")
    forget_grants()  # an update sends no post_save
    return count


def _lockdown_revoker(user: User) -> int:
    """Revoke all of a locked-down user's case grants."""
    return revoke_all_grants(user)


def register_lockdown_revoker() -> None:
    """Have ``vigil lockdown`` revoke the user's grants (when the accounts app offers the hook)."""
    try:
        from vigil.accounts.lockdown import register_revoker
    except ImportError:
        return
    register_revoker(_lockdown_revoker)
