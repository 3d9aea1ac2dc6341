"""Stored estimates: an estimate with the inputs, method, seed and versions it came from."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import VigilModel


class Category(models.TextChoices):
    """What an estimate counts (the sections of the "How many?" page)."""

    DETAINED = "detained", _("Persons detained")
    POLITICAL_PRISONERS = "political_prisoners", _("Political prisoners")
    LAWYERS = "lawyers_persecuted", _("Lawyers persecuted")
    OTHER = "other", _("Other counts")


class StoredEstimate(VigilModel):
    """One published (or publishable) estimate, kept so that it can be recomputed exactly.

    ``inputs`` holds what the estimator read — the overlap table (``kind`` "table": list
    names and the count of every pattern) or the linked lists (``kind`` "links": records, links
    and their probabilities, linkage draws) — and ``result`` the answer as ``vigil estimate
    --json`` printed it. ``counting.stored.recompute`` runs the same method with the same seed
    and settings on ``inputs``.
    """

    label = models.CharField(_("label"), max_length=200)
    category = models.CharField(
        _("what is counted"), max_length=32, choices=Category.choices, default=Category.OTHER
    )
    period = models.CharField(_("period"), max_length=100, blank=True)
    method = models.CharField(_("method"), max_length=20)
    seed = models.BigIntegerField(_("seed"), null=True, blank=True)
    settings = models.JSONField(_("settings"), default=dict, blank=True)
    inputs = models.JSONField(_("inputs"))
    result = models.JSONField(_("result"))
    observed = models.PositiveIntegerField(_("observed on some list"))
    estimate = models.FloatField(_("estimate"))
    interval_low = models.FloatField(_("interval, low end"))
    interval_high = models.FloatField(_("interval, high end"))
    level = models.FloatField(_("level"), default=0.95)
    versions = models.JSONField(_("versions"), default=dict)
    command = models.TextField(_("command that reproduces it"))

    class Meta:
        ordering = ["category", "-created_at"]
        verbose_name = _("stored estimate")
        verbose_name_plural = _("stored estimates")

    @property
    def level_percent(self) -> int:
        return round(self.level * 100)

    def __str__(self) -> str:
        low, high = self.interval_low, self.interval_high
        return f"{self.label}: {self.estimate:,.0f} [{low:,.0f}, {high:,.0f}]"
