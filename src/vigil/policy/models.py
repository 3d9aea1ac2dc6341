"""Per-case grants, daily usage counters for quotas, and flags raised on users."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.core.errors import HardDeleteRefused


class GrantLevel(models.TextChoices):
    """The highest confidentiality a grant lifts for the records linked to its case."""

    RESTRICTED = "restricted", _("Restricted")
    SECRET = "secret", _("Secret")


class CaseGrantQuerySet(models.QuerySet[Any]):
    """Grants are revoked, never deleted."""

    def active(self, at: Any = None) -> CaseGrantQuerySet:
        """Grants neither revoked nor expired at ``at`` (default now)."""
        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires__isnull=True) | Q(expires__gt=at)
        )

    def delete(self) -> Any:
        raise HardDeleteRefused("Grants are revoked, never deleted.")


class CaseGrant(models.Model):
    """Lifts restricted (or secret) records linked to one case for one user."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_grants"
    )
    case = models.ForeignKey("records.Case", on_delete=models.PROTECT, related_name="grants")
    level = models.CharField(_("level"), max_length=12, choices=GrantLevel.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now, editable=False)
    expires = models.DateTimeField(_("expires"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    revoke_reason = models.TextField(blank=True, editable=False)

    objects = CaseGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("case grant")
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.level} on case {self.case_id} for user {self.user_id}"

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise HardDeleteRefused("Grants are revoked, never deleted.")

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (self.expires is None or self.expires > timezone.now())


class UsageKind(models.TextChoices):
    REVEAL = "reveal", _("identity reveals")
    EXPORT = "export", _("exports")


class QuotaUsage(models.Model):
    """How many reveals or exports one user made on one day (UTC)."""

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=UsageKind.choices)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "day"], name="uniq_quota_usage")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.day}: {self.count}"


class UserFlag(models.Model):
    """An alert on a user for coordinators to review (e.g. a quota was exceeded)."""

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30)
    detail = models.CharField(max_length=300, blank=True)
    raised_at = models.DateTimeField(default=timezone.now)
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = _("flag on a user")

    def __str__(self) -> str:
        return f"{self.kind} on {self.user_id} at {self.raised_at:%Y-%m-%d %H:%M}"
