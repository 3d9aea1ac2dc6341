"""Legal provisions: the articles of national law that acts rest on."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import Confidentiality, VigilModel


class LegalCode(models.TextChoices):
    CRIMINAL = "criminal", _("Criminal Code")
    ADMINISTRATIVE = "administrative", _("Code of Administrative Offences")
    OTHER = "other", _("other law")


class LegalProvision(VigilModel):
    """An article (with part and point) of a code: Part 2 of Art. 361-1 of the Criminal Code."""

    jurisdiction = models.CharField(_("jurisdiction"), max_length=2, default="BY")
    code = models.CharField(_("code"), max_length=16, choices=LegalCode.choices)
    article = models.CharField(_("article"), max_length=20)
    part = models.CharField(_("part"), max_length=10, blank=True)
    point = models.CharField(_("point"), max_length=10, blank=True)
    title = models.CharField(_("title as used"), max_length=300, blank=True)

    class Meta:
        ordering = ["jurisdiction", "code", "article", "part", "point"]
        verbose_name = _("legal provision")
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "code", "article", "part", "point"],
                name="uniq_provision",
            )
        ]

    def save(self, *args, **kwargs):
        # The law itself is public knowledge.
        if self._state.adding:
            self.confidentiality = Confidentiality.PUBLIC
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        parts = []
        if self.point:
            parts.append(f"p. {self.point} of")
        if self.part:
            parts.append(f"Part {self.part} of")
        parts.append(f"Art. {self.article}")
        code = {"criminal": "CC", "administrative": "CAO"}.get(self.code, self.code)
        return " ".join(parts) + f" {code}"


class LegalAmendment(VigilModel):
    """A dated amendment to a provision (e.g. the October 2011 amendments)."""

    provision = models.ForeignKey(
        LegalProvision, on_delete=models.PROTECT, related_name="amendments"
    )
    date = models.DateField(null=True, blank=True)
    summary = models.TextField()
