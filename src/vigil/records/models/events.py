"""Events, the acts they contain, and who took part: perpetrators, counsel, participants."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vigil.core.models import VigilModel
from vigil.records.models.fields import UncertainDateMixin, term_fk


class Event(VigilModel, UncertainDateMixin):
    """What happened, when and where; contains acts."""

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, default="BY")

    class Meta:
        ordering = ["date", "title"]
        verbose_name = _("event")

    def __str__(self) -> str:
        return self.title


class EventLink(VigilModel):
    """A chain of events: one event caused, followed or relates to another."""

    from_event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="links_out")
    to_event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="links_in")
    relation = term_fk("chain_relation", _("relation"), null=False)


class ActStatus(models.TextChoices):
    ONGOING = "ongoing", _("ongoing")
    ENDED = "ended", _("ended")
    UNKNOWN = "unknown", _("unknown")


class Act(VigilModel, UncertainDateMixin):
    """One thing done to one victim (a person or an organisation)."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="acts")
    act_type = term_fk("act_type", _("type of act"), null=False)
    victim_person = models.ForeignKey(
        "records.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="acts"
    )
    victim_organisation = models.ForeignKey(
        "records.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="acts",
    )
    place = models.ForeignKey(
        "records.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="acts_here",
        verbose_name=_("place (court, prison, colony, SIZO)"),
    )
    place_text = models.CharField(_("place as stated"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=ActStatus.choices, default=ActStatus.UNKNOWN
    )
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    # The sentence, for conviction and sentence acts.
    sentence_months = models.DecimalField(
        _("term (months)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    sentence_regime = term_fk("detention_regime", _("regime"))
    restriction_measure = term_fk("restriction_measure", _("restriction of liberty"))
    suspended = models.BooleanField(_("suspended"), default=False)
    fine_amount = models.DecimalField(
        _("fine"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    fine_unit = models.CharField(_("fine unit"), max_length=40, blank=True)
    sentence_text = models.CharField(_("sentence as stated"), max_length=300, blank=True)
    source_status = models.CharField(
        _("status as stated by the source"),
        max_length=100,
        blank=True,
        help_text=_("Kept verbatim; custody is derived from acts, not from this."),
    )
    # Days of an administrative arrest (the court's "15 сут."): not a term in months.
    detention_days = models.PositiveSmallIntegerField(_("days of arrest"), null=True, blank=True)
    # When the organisation learned of the act: models and backtests see it only from then.
    known_since = models.DateField(
        _("known since"),
        null=True,
        blank=True,
        help_text=_("The date the organisation learned of this act."),
    )
    known_since_assumed = models.BooleanField(
        _("known-since date assumed"),
        default=False,
        help_text=_("No date of learning was given: the act's own date stands in for it."),
    )
    # An importer that meets a value it cannot read (a sentence that is not a term, an unknown
    # place) keeps the value verbatim and says here what a person must check.
    review_note = models.CharField(
        _("needs review"),
        max_length=500,
        blank=True,
        help_text=_("What a person must check (a source value Vigil could not read); empty when "
                    "nothing is to be checked."),
    )

    class Meta:
        ordering = ["date", "created_at"]
        verbose_name = _("act")
        # List filters (type and dates) and each person's timeline and custody; the acts that
        # need review (few: a partial index, so the filter reads them and not every act).
        indexes = [
            models.Index(fields=["act_type", "date"], name="act_type_date"),
            models.Index(fields=["victim_person", "date"], name="act_victim_date"),
            # A person's acts at a court, without reading the others (a court filter probed
            # per person, as with custody).
            models.Index(fields=["victim_person", "place"], name="act_victim_place"),
            models.Index(
                fields=["victim_person"], condition=~Q(review_note=""), name="act_needs_review"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(victim_person__isnull=True) | Q(victim_organisation__isnull=True),
                name="act_one_victim",
            )
        ]

    def __str__(self) -> str:
        victim = self.victim_person or self.victim_organisation
        # The type's label in the active language, never its key ("appeal_decision").
        kind = self.act_type.label() if self.act_type_id else ""
        return f"{kind}: {victim} ({self.date_display})"

    @property
    def victim(self) -> object:
        return self.victim_person or self.victim_organisation


class Inchoate(models.TextChoices):
    NONE = "", _("completed offence")
    PREPARATION = "preparation", _("preparation (Art. 13)")
    ATTEMPT = "attempt", _("attempt (Art. 14)")


class ActCharge(VigilModel):
    """A legal provision an act rests on (a charge, a conviction), as written by the source."""

    act = models.ForeignKey(Act, on_delete=models.PROTECT, related_name="charges")
    provision = models.ForeignKey(
        "records.LegalProvision", on_delete=models.PROTECT, related_name="charges"
    )
    inchoate = models.CharField(max_length=12, choices=Inchoate.choices, blank=True, default="")
    text_as_written = models.TextField(blank=True)

    class Meta:
        verbose_name = _("charge")
        # The provision filter, both ways, from the index alone (live state and level
        # included): an act's charges of a provision, and a provision's charged acts.
        indexes = [
            models.Index(
                fields=["act", "provision", "deleted_at", "confidentiality"],
                name="charge_act_provision",
            ),
            models.Index(
                fields=["provision", "deleted_at", "confidentiality", "act"],
                name="charge_provision_act",
            ),
        ]


class Involvement(VigilModel):
    """A perpetrator (person or organisation) in an act, with role and degree."""

    act = models.ForeignKey(Act, on_delete=models.PROTECT, related_name="involvements")
    perpetrator_person = models.ForeignKey(
        "records.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="involvements",
    )
    perpetrator_organisation = models.ForeignKey(
        "records.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="involvements",
    )
    role = term_fk("perpetrator_role", _("role"), null=False)
    degree = term_fk("involvement_degree", _("degree of involvement"))
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("involvement")
        # "Persons sentenced by the same judge" and the perpetrator page. It holds every column
        # the same judge's rows are read for (the policy's conditions on the row, its act, its
        # id): those rows are read from the index alone, not from as many scattered table pages
        # (on encrypted SQLite each a page decrypted when it is not in the connection's cache).
        indexes = [
            models.Index(
                fields=[
                    "perpetrator_person",
                    "role",
                    "deleted_at",
                    "confidentiality",
                    "act",
                    "perpetrator_organisation",
                    "id",
                ],
                name="involvement_person_covering",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(perpetrator_person__isnull=False)
                | Q(perpetrator_organisation__isnull=False),
                name="involvement_has_perpetrator",
            )
        ]


class Counsel(VigilModel):
    """A lawyer defending the victim in an act (feeds early warning)."""

    act = models.ForeignKey(Act, on_delete=models.PROTECT, related_name="counsel")
    lawyer = models.ForeignKey(
        "records.Person", on_delete=models.PROTECT, related_name="counsel_in"
    )
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("counsel")
        verbose_name_plural = _("counsel")


class Participant(VigilModel):
    """A person a source names in an act whose role is not confirmed.

    Not counsel, not a perpetrator, not screened, until an analyst sets ``confirmed_role``.
    A surname-only value stays as ``name_text`` with no Person.
    """

    act = models.ForeignKey(Act, on_delete=models.PROTECT, related_name="participants")
    person = models.ForeignKey(
        "records.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
    )
    name_text = models.CharField(_("name as stated"), max_length=300)
    stated_role = models.CharField(_("role as stated by the source"), max_length=60, blank=True)
    confirmed_role = models.CharField(_("confirmed role"), max_length=60, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("participant (role unconfirmed)")
        verbose_name_plural = _("participants (role unconfirmed)")
