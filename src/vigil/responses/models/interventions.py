"""What an intervention needs beyond the record's model: beneficiaries, responses, follow-ups."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import CONFIDENTIALITY_ORDER, Confidentiality, VigilModel
from vigil.records.models.fields import term_fk


class BeneficiaryKind(models.TextChoices):
    GRANT = "grant", _("grant")
    RELOCATION = "relocation", _("relocation")
    PROTECTION = "protection", _("protection")
    LEGAL_AID = "legal_aid", _("legal aid")
    OTHER = "other", _("other")


class InterventionBeneficiary(VigilModel):
    """A person helped by a grant, relocation or protection measure; restricted by default."""

    intervention = models.ForeignKey(
        "records.Intervention", on_delete=models.PROTECT, related_name="beneficiaries"
    )
    person = models.ForeignKey("records.Person", on_delete=models.PROTECT, related_name="benefits")
    kind = models.CharField(_("kind of support"), max_length=12, choices=BeneficiaryKind.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("beneficiary")
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "person", "kind"], name="uniq_beneficiary"
            )
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Who received help is what an adversary looks for: never below restricted.
        if CONFIDENTIALITY_ORDER[self.confidentiality] < CONFIDENTIALITY_ORDER["restricted"]:
            self.confidentiality = Confidentiality.RESTRICTED
        super().save(*args, **kwargs)


class StateResponse(VigilModel):
    """One response of the state to an intervention (the history, oldest first)."""

    intervention = models.ForeignKey(
        "records.Intervention", on_delete=models.PROTECT, related_name="state_responses"
    )
    date = models.DateField(_("date"), null=True, blank=True)
    response = term_fk("state_response", _("response"), null=False)
    summary = models.TextField(_("summary of the response"), blank=True)
    source = models.ForeignKey(
        "records.Source",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="state_responses",
    )

    class Meta:
        ordering = ["date", "created_at"]
        verbose_name = _("state response")


class FollowUp(VigilModel):
    """A follow-up an advocate owes on an intervention (a reminder, a second letter...)."""

    intervention = models.ForeignKey(
        "records.Intervention", on_delete=models.PROTECT, related_name="follow_ups"
    )
    due = models.DateField(_("due"))
    action = models.CharField(_("what to do"), max_length=300)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["due"]
        verbose_name = _("follow-up")
