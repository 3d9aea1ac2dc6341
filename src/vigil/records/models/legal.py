"""Legal provisions: the articles of national law that acts rest on."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vigil.core.models import Confidentiality, VigilModel


class LegalCode(models.TextChoices):
    CRIMINAL = "criminal", _("Criminal Code")
    ADMINISTRATIVE = "administrative", _("Code of Administrative Offences")
    OTHER = "other", _("other law")


# Short citations as Russian and Belarusian texts write them: point, part, article, codes.
_SHORT_FORMS = {
    "ru": ("п.", "ч.", "ст.", {"criminal": "УК", "administrative": "КоАП"}),
    "be": ("п.", "ч.", "арт.", {"criminal": "КК", "administrative": "КаАП"}),
}


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

    def short_label(self, language: str | None = None) -> str:
        """The provision as a reader of ``language`` (default: the active one) writes it:
        "Part 1 of Art. 342 CC", "ч. 1 ст. 342 УК", "ч. 1 арт. 342 КК"."""
        lang = (language or get_language() or "en")[:2]
        if lang not in _SHORT_FORMS:
            return str(self)
        point, part, article, codes = _SHORT_FORMS[lang]
        pieces = [f"{point} {self.point}" if self.point else ""]
        pieces += [f"{part} {self.part}" if self.part else ""]
        pieces += [f"{article} {self.article} {codes.get(self.code, self.code)}"]
        return " ".join(p for p in pieces if p)


class LegalAmendment(VigilModel):
    """A dated amendment to a provision (e.g. the October 2011 amendments)."""

    provision = models.ForeignKey(
        LegalProvision, on_delete=models.PROTECT, related_name="amendments"
    )
    date = models.DateField(null=True, blank=True)
    summary = models.TextField()
