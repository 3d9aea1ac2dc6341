"""Sources of information, stored evidence files, and the links from sources to facts."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import VigilModel
from vigil.crypto.fields import EncryptedTextField
from vigil.records.models.fields import UncertainDateMixin, term_fk


class Source(VigilModel, UncertainDateMixin):
    """A document, court record, testimony, web page, media report, UN document..."""

    title = models.CharField(_("title"), max_length=500)
    source_type = term_fk("source_type", _("type of source"))
    reliability = term_fk("source_reliability", _("reliability"))
    url = models.URLField(_("address"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    citation = models.TextField(_("how to cite"), blank=True)
    # A source person (witness) makes the source restricted.
    source_person = models.ForeignKey(
        "records.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sourced",
        verbose_name=_("source person (witness)"),
    )
    witness_contact = EncryptedTextField(
        _("how to reach the witness"),
        blank=True,
        null=True,
        help_text=_("Encrypted; shown only through an audited reveal."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("source")

    def save(self, *args, **kwargs):
        from vigil.core.models import CONFIDENTIALITY_ORDER, Confidentiality

        witness = self.source_person_id or self.witness_contact
        if witness and CONFIDENTIALITY_ORDER[self.confidentiality] < 2:
            self.confidentiality = Confidentiality.RESTRICTED
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.title


class Evidence(VigilModel):
    """A stored file: SHA-256 computed at ingest, original kept unaltered."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="evidence")
    original_name = models.CharField(max_length=300)
    stored_name = models.CharField(max_length=100, unique=True, editable=False)
    sha256 = models.CharField(max_length=64, editable=False, db_index=True)
    size = models.PositiveBigIntegerField(editable=False)
    content_type = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        verbose_name = _("evidence file")


class CustodyEvent(models.Model):
    """One entry of an evidence file's append-only handling log (ingest, view, download, export...).

    ``vigil.evidence.handling`` writes and reads it; users see it as the chain of custody. The
    class keeps its released name (table ``records_custodyevent``, related name ``custody``).
    """

    id = models.BigAutoField(primary_key=True)
    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="custody")
    action = models.CharField(max_length=20)
    at = models.DateTimeField(auto_now_add=True)
    actor_id = models.UUIDField(null=True, blank=True)
    context_kind = models.CharField(max_length=12)
    sha256 = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.action} of evidence {self.evidence_id} at {self.at:%Y-%m-%d %H:%M}"


class ClaimKind(models.TextChoices):
    SOURCE_TEXT = "source_text", _("stated in the source")
    READER_COMMENT = "reader_comment", _("only in a reader's comment")
    DERIVED = "derived", _("derived by an analyst")


class Information(VigilModel):
    """A source supporting a fact: a person, organisation, event, act, statistic..."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="information")
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.UUIDField(db_index=True)
    target = GenericForeignKey("target_type", "target_id")
    claim_kind = models.CharField(
        max_length=16, choices=ClaimKind.choices, default=ClaimKind.SOURCE_TEXT
    )
    quote = models.TextField(_("quote"), blank=True)
    reliability = term_fk("source_reliability", _("reliability of this claim"))
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("information")
        verbose_name_plural = _("information")
