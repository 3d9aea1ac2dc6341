"""Daily quotas on identity reveals and exports, with an alert when one is exceeded."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from vigil.core.errors import QuotaExceeded
from vigil.policy.auditing import audit
from vigil.policy.models import QuotaUsage, UsageKind, UserFlag

if TYPE_CHECKING:
    from vigil.accounts.types import User

DEFAULT_LIMITS = {UsageKind.REVEAL: 20, UsageKind.EXPORT: 5}
SETTINGS = {UsageKind.REVEAL: "VIGIL_REVEAL_QUOTA", UsageKind.EXPORT: "VIGIL_EXPORT_QUOTA"}


def daily_limit(kind: str) -> int:
    """How many of ``kind`` one user may do per day (settings ``VIGIL_*_QUOTA``)."""
    return int(getattr(settings, SETTINGS[UsageKind(kind)], DEFAULT_LIMITS[UsageKind(kind)]))


def used_today(user: User, kind: str) -> int:
    """How many of ``kind`` ``user`` has done today (UTC)."""
    usage = QuotaUsage.objects.filter(user=user, kind=kind, day=timezone.now().date()).first()
    return usage.count if usage else 0


def consume(user: User, kind: str) -> int:
    """Count one ``kind`` for ``user`` and return what is left; alert and raise when none is.

    Call it outside the caller's transaction: the flag and the audit entry of an exceeded
    quota must survive the refusal.
    """
    limit = daily_limit(kind)
    day = timezone.now().date()
    with transaction.atomic():
        usage, _ = QuotaUsage.objects.select_for_update().get_or_create(
            user=user, kind=kind, day=day
        )
        if usage.count < limit:
            QuotaUsage.objects.filter(pk=usage.pk).update(count=F("count") + 1)
            return limit - usage.count - 1
        _alert(user, kind, limit, day)
    raise QuotaExceeded(
        f"You have reached today's limit of {limit} {UsageKind(kind).label}. "
        "A coordinator has been alerted; the limit resets at midnight UTC."
    )


def _alert(user: User, kind: str, limit: int, day: Any) -> None:
    flag_kind = f"quota_{kind}"
    if not UserFlag.objects.filter(user=user, kind=flag_kind, raised_at__date=day).exists():
        UserFlag.objects.create(
            user=user, kind=flag_kind, detail=f"more than {limit} {UsageKind(kind).label} in a day"
        )
    audit("quota_exceeded", actor=user, obj=user, action=kind, count=limit)


def open_flags() -> Any:
    """Flags no coordinator has cleared yet, newest first."""
    return UserFlag.objects.filter(cleared_at__isnull=True)


def clear_flag(flag: UserFlag, by: User) -> None:
    """Mark a flag as reviewed."""
    flag.cleared_at = timezone.now()
    flag.cleared_by = by
    flag.save(update_fields=["cleared_at", "cleared_by"])
