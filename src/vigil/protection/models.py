"""Protection cases, their actions, defence funds, the grants they pay and who may see whom.

A beneficiary's identity (name, contacts, where they are, their dependants) is held only in
encrypted fields and read only through the policy's reveal, for users holding an explicit
:class:`BeneficiaryAccess`. Everything else names the case by its pseudonym ("P-0007").
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.core.errors import HardDeleteRefused
from vigil.core.models import CONFIDENTIALITY_ORDER, Confidentiality, VigilModel
from vigil.crypto.fields import EncryptedTextField

ENCRYPTED_HELP = _("Encrypted; shown only to users granted this beneficiary's identity.")
NO_NAMES_HELP = _("Seen by everyone who may see the case: write no names or places here.")


class Urgency(models.IntegerChoices):
    """How soon something must happen (1 first)."""

    CRITICAL = 1, _("Critical: life or liberty at immediate risk")
    HIGH = 2, _("High: act within days")
    MEDIUM = 3, _("Medium: act within weeks")
    LOW = 4, _("Low: monitor")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class ActionKind(models.TextChoices):
    """The vocabulary of protection actions (labels in en, be and ru)."""

    EMERGENCY_GRANT = "emergency_grant", _("emergency grant")
    LEGAL_AID = "legal_aid", _("legal aid")
    RELOCATION = "relocation", _("relocation")
    DIGITAL_SECURITY = "digital_security", _("digital-security help")
    MEDICAL_FAMILY = "medical_family", _("medical or family support")
    TRIAL_MONITORING = "trial_monitoring", _("trial-monitoring request")
    PUBLIC_STATEMENT = "public_statement", _("public statement")
    QUIET_DIPLOMACY = "quiet_diplomacy", _("quiet diplomacy")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


OPEN_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class GrantPurpose(models.TextChoices):
    """What a defence-fund grant pays for."""

    LEGAL_FEES = "legal_fees", _("legal fees")
    EMERGENCY = "emergency", _("emergency support")
    RELOCATION = "relocation", _("relocation")
    MEDICAL = "medical", _("medical care")
    FAMILY = "family", _("family support")
    DIGITAL_SECURITY = "digital_security", _("digital security")
    TRIAL_MONITORING = "trial_monitoring", _("trial monitoring")
    OTHER = "other", _("other")


class Disbursement(models.TextChoices):
    APPROVED = "approved", _("approved")
    DISBURSED = "disbursed", _("disbursed")
    CANCELLED = "cancelled", _("cancelled")


class AtLeastRestricted(VigilModel):
    """A record about a person at risk: never below ``restricted``."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        floor = Confidentiality.RESTRICTED
        if CONFIDENTIALITY_ORDER[self.confidentiality] < CONFIDENTIALITY_ORDER[floor]:
            self.confidentiality = floor
        super().save(*args, **kwargs)


def _next_number(model: type[models.Model]) -> int:
    last = model._base_manager.aggregate(n=models.Max("number"))["n"]
    return (last or 0) + 1


class ProtectionCase(AtLeastRestricted):
    """Protection of one lawyer or defender at risk: assessment, actions, outcome."""

    number = models.PositiveIntegerField(unique=True, editable=False)
    # The identity: encrypted, readable only through the policy's reveal with a grant.
    beneficiary_name = EncryptedTextField(_("beneficiary's name"), help_text=ENCRYPTED_HELP)
    beneficiary_contacts = EncryptedTextField(
        _("beneficiary's contacts"), blank=True, default="", help_text=ENCRYPTED_HELP
    )
    location = EncryptedTextField(
        _("where they are"), blank=True, default="", help_text=ENCRYPTED_HELP
    )
    dependants = EncryptedTextField(
        _("dependants"), blank=True, default="", help_text=ENCRYPTED_HELP
    )
    # The assessment everyone who may see the case reads.
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), choices=Urgency.choices, default=Urgency.HIGH
    )
    threats = models.TextField(_("threats"), blank=True, help_text=NO_NAMES_HELP)
    needs = models.TextField(_("needs"), blank=True, help_text=NO_NAMES_HELP)
    status = models.CharField(
        _("status"), max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True, help_text=NO_NAMES_HELP)

    class Meta:
        ordering = ["urgency", "number"]
        verbose_name = _("protection case")
        verbose_name_plural = _("protection cases")

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.number is None:
            self.number = _next_number(ProtectionCase)
        super().save(*args, **kwargs)

    @property
    def pseudonym(self) -> str:
        """How every page, export and message names the case: "Case P-0007"."""
        return f"P-{self.number:04d}"

    def __str__(self) -> str:
        return f"Case {self.pseudonym}"


class ProtectionAction(AtLeastRestricted):
    """One thing to do for a case: its kind, who does it, by when, and how it stands."""

    case = models.ForeignKey(ProtectionCase, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(_("kind"), max_length=20, choices=ActionKind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    due = models.DateField(_("due"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, help_text=NO_NAMES_HELP)

    class Meta:
        ordering = ["due", "created_at"]
        verbose_name = _("protection action")
        verbose_name_plural = _("protection actions")

    def save(self, *args: Any, **kwargs: Any) -> None:
        # An action is as confidential as its case, at least.
        case_level = CONFIDENTIALITY_ORDER[self.case.confidentiality]
        if CONFIDENTIALITY_ORDER[self.confidentiality] < case_level:
            self.confidentiality = self.case.confidentiality
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.case}"


class DefenceFund(VigilModel):
    """A legal defence fund: grants are paid from it."""

    name = models.CharField(_("name"), max_length=200)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("defence fund")
        verbose_name_plural = _("defence funds")

    def __str__(self) -> str:
        return self.name


class FundGrant(AtLeastRestricted):
    """Money from a fund for a beneficiary: a protection case, or a named person (encrypted)."""

    number = models.PositiveIntegerField(unique=True, editable=False)
    fund = models.ForeignKey(DefenceFund, on_delete=models.PROTECT, related_name="grants")
    case = models.ForeignKey(
        ProtectionCase,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
        verbose_name=_("protection case"),
    )
    beneficiary_name = EncryptedTextField(
        _("beneficiary's name"), blank=True, default="", help_text=ENCRYPTED_HELP
    )
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    date = models.DateField(_("date"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=GrantPurpose.choices)
    status = models.CharField(
        _("disbursement"),
        max_length=10,
        choices=Disbursement.choices,
        default=Disbursement.APPROVED,
    )
    note = models.TextField(_("note"), blank=True, help_text=NO_NAMES_HELP)

    class Meta:
        ordering = ["-date", "-number"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.number is None:
            self.number = _next_number(FundGrant)
        super().save(*args, **kwargs)

    @property
    def reference(self) -> str:
        return f"G-{self.number:04d}"

    @property
    def beneficiary_pseudonym(self) -> str:
        """The beneficiary as an auditor sees them: the case's pseudonym or the grant's own."""
        case = self.case if self.case_id is not None else None
        if case is not None:
            return case.pseudonym
        return f"B-{self.number:04d}"

    def __str__(self) -> str:
        return f"Grant {self.reference}"


class BeneficiaryAccessQuerySet(models.QuerySet):
    def active(self) -> BeneficiaryAccessQuerySet:
        return self.filter(revoked_at__isnull=True)

    def delete(self) -> Any:
        raise HardDeleteRefused("Access to an identity is revoked, never deleted.")


class BeneficiaryAccess(models.Model):
    """An explicit grant: ``user`` may reveal the identity behind one case or one fund grant."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="beneficiary_access"
    )
    case = models.ForeignKey(
        ProtectionCase, null=True, blank=True, on_delete=models.PROTECT, related_name="access"
    )
    fund_grant = models.ForeignKey(
        FundGrant, null=True, blank=True, on_delete=models.PROTECT, related_name="access"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = BeneficiaryAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("access to a beneficiary's identity")
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False, fund_grant__isnull=True)
                | Q(case__isnull=True, fund_grant__isnull=False),
                name="protection_access_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"identity access for user {self.user_id}"

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise HardDeleteRefused("Access to an identity is revoked, never deleted.")
