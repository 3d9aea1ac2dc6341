"""Merges of duplicate persons, recorded so that each can be undone exactly."""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import VigilModel


class PersonMerge(VigilModel):
    """One merge of a duplicate person into the kept one, with every reference it moved.

    ``moved`` maps ``"<model label>.<field>"`` to the ids of the records re-pointed from the
    duplicate to the kept person; ``memberships`` maps ``"<model label>.<m2m field>"`` to
    ``{owner id: whether the kept person was already a member}``; ``demoted_names`` lists the
    duplicate's primary names the merge made secondary (``{"id", "kind"}``: a person keeps one
    primary name). Unmerge reads all three back.
    """

    keep = models.ForeignKey(
        "records.Person",
        on_delete=models.PROTECT,
        related_name="merges_kept",
        verbose_name=_("kept person"),
    )
    duplicate = models.ForeignKey(
        "records.Person",
        on_delete=models.PROTECT,
        related_name="merges_absorbed",
        verbose_name=_("duplicate person"),
    )
    reason = models.TextField(_("reason"))
    moved = models.JSONField(default=dict, encoder=DjangoJSONEncoder, editable=False)
    memberships = models.JSONField(default=dict, encoder=DjangoJSONEncoder, editable=False)
    demoted_names = models.JSONField(default=list, encoder=DjangoJSONEncoder, editable=False)
    unmerged_at = models.DateTimeField(_("unmerged at"), null=True, blank=True, editable=False)
    unmerge_reason = models.TextField(_("reason for unmerging"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("person merge")
        verbose_name_plural = _("person merges")

    def __str__(self) -> str:
        return f"{self.duplicate_id} → {self.keep_id}"

    @property
    def is_undone(self) -> bool:
        return self.unmerged_at is not None
