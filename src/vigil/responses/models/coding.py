"""International standards and the coding of acts against them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import VigilModel


class Standard(models.Model):
    """One article, paragraph, principle or category of an international instrument.

    Reference data shipped with the package; ``label`` is a summary, never official text.
    """

    id = models.CharField(primary_key=True, max_length=40)
    instrument = models.CharField(max_length=12, db_index=True)
    instrument_title = models.CharField(max_length=200)
    article = models.CharField(max_length=10)
    paragraph = models.CharField(max_length=10, blank=True)
    section = models.CharField(max_length=200, blank=True)
    label = models.TextField(help_text="Summary written for Vigil, not official text.")
    note = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["instrument", "position"]

    def __str__(self) -> str:
        return self.citation

    @property
    def citation(self) -> str:
        """A short reference: "ICCPR art. 14(1)", "WGAD category II", "Basic Principles 16"."""
        if self.instrument == "WGAD":
            return f"WGAD category {self.article}"
        if self.instrument == "BPRL":
            return f"Basic Principles on the Role of Lawyers, principle {self.article}"
        if self.instrument == "HRDD":
            return f"Declaration on Human Rights Defenders, art. {self.article}"
        head, _sep, rest = self.paragraph.partition("(")
        para = f"({head})" + (f"({rest}" if rest else "") if self.paragraph else ""
        return f"{self.instrument} art. {self.article}{para}"


class CodingStatus(models.TextChoices):
    SUGGESTED = "suggested", _("suggested")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class ViolationCoding(VigilModel):
    """An act coded against a standard, with the rationale and who coded or decided it."""

    act = models.ForeignKey("records.Act", on_delete=models.PROTECT, related_name="codings")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="codings")
    rationale = models.TextField(_("rationale"))
    rule = models.CharField(
        _("suggesting rule"), max_length=40, blank=True, help_text=_("Empty when coded by hand.")
    )
    rests_on_reader_comment = models.BooleanField(_("rests on a reader's comment"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=CodingStatus.choices, default=CodingStatus.SUGGESTED
    )
    coded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for a rule's suggestion."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["act", "standard"]
        verbose_name = _("violation coding")
        constraints = [
            models.UniqueConstraint(fields=["act", "standard"], name="uniq_coding_act_standard")
        ]
