"""Stored early-warning state: the watched register, fits, scores with history, confirmed links.

Every table here is confidential risk information. The policy governs them as ``Kind.RISK``
(``vigil.policy.registry``): only the roles of ``vigil.policy.rules.RISK_ROLES`` see them, and
only for persons they may view; nothing here is in open data, public pages or exports.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.crypto.fields import EncryptedTextField


class RegisterStatus(models.TextChoices):
    WATCHED = "watched", _("watched")
    RELOCATED = "relocated", _("relocated")
    SAFE = "safe", _("safe")
    ARRESTED = "arrested", _("arrested")


class WatchedPerson(models.Model):
    """An organisation follows this lawyer or defender: the "watched / at risk" register."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.OneToOneField(
        "records.Person", on_delete=models.CASCADE, related_name="risk_register"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Why the organisation follows the person: free text, encrypted per value.
    reason = EncryptedTextField(blank=True)
    status = models.CharField(
        max_length=12, choices=RegisterStatus.choices, default=RegisterStatus.WATCHED
    )
    added_on = models.DateField()
    status_since = models.DateField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["added_on", "id"]

    def __str__(self) -> str:
        return f"register entry {self.pk} ({self.status})"


class ModelFit(models.Model):
    """One scoring run: what the model was fitted on, how it did in the backtest, its limits."""

    id = models.BigAutoField(primary_key=True)
    fitted_at = models.DateTimeField()
    as_of = models.DateField()
    horizon_days = models.PositiveIntegerField()
    outcome = models.CharField(max_length=12)
    links = models.CharField(max_length=12)
    # "model" (the fitted hazard model) or "points" (the baseline, when too few events).
    method = models.CharField(max_length=12)
    training_rows = models.PositiveIntegerField()
    training_events = models.PositiveIntegerField()
    min_events = models.PositiveIntegerField()
    population = models.PositiveIntegerField()
    threshold = models.FloatField()
    note = models.TextField(blank=True)
    coefficients = models.JSONField(default=dict, blank=True)
    # What the fit read: acts and persons by source, links used, first and last dates.
    data = models.JSONField(default=dict, blank=True)
    # The rolling-origin backtest's JSON (figures with intervals, baselines), or {}.
    backtest = models.JSONField(default=dict, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-fitted_at", "-id"]

    def __str__(self) -> str:
        return f"fit {self.pk} as of {self.as_of} ({self.method})"


class RiskScore(models.Model):
    """One person's stored score in one fit, with the reasons and sources it came with."""

    id = models.BigAutoField(primary_key=True)
    fit = models.ForeignKey(ModelFit, on_delete=models.CASCADE, related_name="scores")
    person = models.ForeignKey(
        "records.Person", on_delete=models.CASCADE, related_name="risk_scores"
    )
    probability = models.FloatField()
    above_threshold = models.BooleanField(default=False)
    # [{"signal", "value", "weight", "records": [act ids]}], the strongest first.
    reasons = models.JSONField(default=list)
    last_signal_on = models.DateField(null=True, blank=True)
    last_signal_act = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["-probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["fit", "person"], name="warning_one_score_per_fit")
        ]

    def __str__(self) -> str:
        return f"score {self.pk} (fit {self.fit_id})"


class LinkStatus(models.TextChoices):
    OFFERED = "offered", _("offered")
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("rejected")


class CrossSourceLink(models.Model):
    """A ZUBR person and a person from another source the names engine offers as the same.

    A human confirms or rejects it; ``vigil warning backtest --links confirmed`` uses only the
    confirmed ones. Nothing is merged: the two records stay apart.
    """

    id = models.BigAutoField(primary_key=True)
    zubr_person = models.ForeignKey(
        "records.Person", on_delete=models.CASCADE, related_name="+"
    )
    other_person = models.ForeignKey(
        "records.Person", on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField()
    why = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=LinkStatus.choices, default=LinkStatus.OFFERED
    )
    offered_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["zubr_person", "other_person"], name="warning_one_link_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"link {self.pk} ({self.status})"
