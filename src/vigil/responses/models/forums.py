"""Positions states take in multilateral forums, so silence can be seen."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import VigilModel
from vigil.records.models.fields import UncertainDateMixin


class Forum(models.TextChoices):
    HRC = "hrc", _("UN Human Rights Council")
    UNGA_THIRD = "unga_third", _("UN General Assembly, Third Committee")
    UNGA = "unga", _("UN General Assembly plenary")
    UPR = "upr", _("Universal Periodic Review")
    OSCE = "osce", _("OSCE Permanent Council")
    OSCE_MOSCOW = "osce_moscow", _("OSCE Moscow Mechanism")
    COE_CM = "coe_cm", _("Council of Europe, Committee of Ministers")
    PACE = "pace", _("Parliamentary Assembly of the Council of Europe")
    EU_COUNCIL = "eu_council", _("Council of the European Union")
    OTHER = "other", _("other forum")


class PositionKind(models.TextChoices):
    STATEMENT = "statement", _("statement")
    JOINT_STATEMENT = "joint_statement", _("signed a joint statement")
    VOTE_YES = "vote_yes", _("voted yes")
    VOTE_NO = "vote_no", _("voted no")
    ABSTAIN = "abstain", _("abstained")
    CO_SPONSOR = "co_sponsor", _("co-sponsored")
    INVOKED = "invoked", _("invoked a mechanism")


class ForumPosition(VigilModel, UncertainDateMixin):
    """What one state said or how it voted in one forum, about persons, cases or a topic."""

    forum = models.CharField(_("forum"), max_length=12, choices=Forum.choices)
    session = models.CharField(_("session"), max_length=120, blank=True)
    state = models.ForeignKey(
        "records.Organisation",
        on_delete=models.PROTECT,
        related_name="forum_positions",
        limit_choices_to={"kind": "organisation_kind.foreign_government"},
    )
    position = models.CharField(_("position"), max_length=16, choices=PositionKind.choices)
    topic = models.CharField(
        _("topic"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("A short key, e.g. lawyers, defenders, belarus-mandate."),
    )
    summary = models.TextField(_("what was said"), blank=True)
    persons = models.ManyToManyField("records.Person", blank=True, related_name="forum_positions")
    cases = models.ManyToManyField("records.Case", blank=True, related_name="forum_positions")
    intervention = models.ForeignKey(
        "records.Intervention",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forum_positions",
        help_text=_("The resolution or debate the position was taken on, if recorded."),
    )
    source = models.ForeignKey(
        "records.Source",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forum_positions",
    )

    class Meta:
        ordering = ["date", "forum"]
        verbose_name = _("forum position")
