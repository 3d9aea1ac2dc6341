"""Stored estimates (with the inputs, method, seed and versions they came from), stored lists,
their link runs, pairs and the decisions on them."""

from __future__ import annotations

import json
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import Confidentiality, VigilModel
from vigil.crypto.fields import EncryptedTextField


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


class ListKind(models.TextChoices):
    """Where a stored list's rows came from."""

    FILE = "file", _("Imported file")
    RECORD = "record", _("The organisation's own record")


class ListStatus(models.TextChoices):
    MAPPING = "mapping", _("Waiting for a column mapping")
    READY = "ready", _("Ready")


class PersonList(VigilModel):
    """A named, dated source of persons (a *system* in multiple systems estimation).

    Its rows are its own: imported once, never rewritten by linking. Restricted by default.
    An upload waiting for its column mapping keeps the file's text encrypted in ``pending``
    (cleared when the rows are imported) and its header in clear.
    """

    name = models.CharField(_("name"), max_length=200)
    as_of = models.DateField(_("date of the list"))
    kind = models.CharField(_("kind"), max_length=10, choices=ListKind.choices,
                            default=ListKind.FILE)
    status = models.CharField(_("status"), max_length=10, choices=ListStatus.choices,
                              default=ListStatus.READY)
    description = models.TextField(_("description"), blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    header = models.JSONField(_("header"), default=list, blank=True)
    digest = models.CharField(_("SHA-256 of the rows as read"), max_length=64, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    pending = EncryptedTextField(_("uploaded text awaiting a mapping"), null=True, blank=True)
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=12,
        choices=Confidentiality.choices,
        default=Confidentiality.RESTRICTED,
    )

    class Meta:
        ordering = ["name", "-as_of"]
        verbose_name = _("stored list")
        verbose_name_plural = _("stored lists")

    def __str__(self) -> str:
        return f"{self.name} ({self.as_of:%Y-%m-%d})"


class ListRow(models.Model):
    """One row of a stored list: its key on the list in clear, everything else encrypted.

    ``data`` is a JSON object (name, birth_date, sex, place, detained_on) sealed with the
    organisation's field key, bound to this row.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    list = models.ForeignKey(PersonList, on_delete=models.PROTECT, related_name="rows")
    position = models.PositiveIntegerField(_("position on the list"))
    line = models.PositiveIntegerField(_("line in the file"), default=0)
    key = models.CharField(_("id on the list"), max_length=200)
    data = EncryptedTextField(_("row"))

    class Meta:
        ordering = ["list", "position"]
        constraints = [
            models.UniqueConstraint(fields=["list", "key"], name="list_row_key_unique"),
            models.UniqueConstraint(fields=["list", "position"], name="list_row_position_unique"),
        ]

    def __str__(self) -> str:
        return f"row {self.position} of a stored list"

    def fields(self) -> dict[str, str]:
        """The row's decrypted fields."""
        return dict(json.loads(self.data))


class LinkRun(VigilModel):
    """One linking of two or more stored lists: its pairs and their match probabilities.

    As confidential as its most confidential list. ``summary`` holds, per pair of lists, the
    pairs compared, the possible pairs and the estimated recall of blocking.
    """

    lists = models.ManyToManyField(PersonList, related_name="link_runs")
    list_order = models.JSONField(_("lists in order"), default=list)
    seed = models.BigIntegerField(_("seed"), default=0)
    summary = models.JSONField(_("summary"), default=dict)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("link run")
        verbose_name_plural = _("link runs")

    def __str__(self) -> str:
        return f"link run {str(self.pk)[:8]}"


class Decision(models.TextChoices):
    PENDING = "pending", _("Not decided")
    SAME = "same", _("Same person")
    DIFFERENT = "different", _("Different persons")


class LinkPair(models.Model):
    """A possible link between rows of two lists, its probability, and the decision on it.

    ``decision`` is the latest of its :class:`LinkDecision` rows (pending when none or undone).
    A link is not a merge: neither row nor any record changes.
    """

    id = models.BigAutoField(primary_key=True)
    run = models.ForeignKey(LinkRun, on_delete=models.PROTECT, related_name="pairs")
    left = models.ForeignKey(ListRow, on_delete=models.PROTECT, related_name="+")
    right = models.ForeignKey(ListRow, on_delete=models.PROTECT, related_name="+")
    probability = models.FloatField(_("match probability"))
    match = models.BooleanField(_("matched by the computer"))
    name_score = models.FloatField(_("name score"))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices,
                                default=Decision.PENDING)

    class Meta:
        ordering = ["run", "-probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "left", "right"], name="link_pair_unique"),
        ]

    def __str__(self) -> str:
        return f"pair #{self.pk}"


class LinkDecision(models.Model):
    """One decision on a pair (append-only): same, different, or pending (an undo)."""

    id = models.BigAutoField(primary_key=True)
    pair = models.ForeignKey(LinkPair, on_delete=models.PROTECT, related_name="decisions")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        ordering = ["pair", "decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.decision} on pair #{self.pair_id}"
