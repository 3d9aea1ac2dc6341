"""Hearings and their observers and observation reports; statements; calendar feed tokens."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import FeedSecret, VigilModel
from vigil.records.models.fields import UncertainDateMixin


class HearingKind(models.TextChoices):
    FIRST_INSTANCE = "first_instance", _("first instance")
    APPEAL = "appeal", _("appeal")
    CASSATION = "cassation", _("cassation")
    OTHER = "other", _("other hearing")


class Hearing(VigilModel):
    """One court hearing of a case: when, which court, which judge and prosecutor."""

    case = models.ForeignKey(
        "records.Case", on_delete=models.PROTECT, related_name="hearings", verbose_name=_("case")
    )
    date = models.DateField(_("date"), db_index=True)
    time = models.TimeField(_("time"), null=True, blank=True)
    kind = models.CharField(
        _("kind of hearing"),
        max_length=16,
        choices=HearingKind.choices,
        default=HearingKind.FIRST_INSTANCE,
    )
    court = models.ForeignKey(
        "records.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hearings",
        verbose_name=_("court"),
    )
    court_text = models.CharField(_("court as stated"), max_length=300, blank=True)
    judge = models.ForeignKey(
        "records.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hearings_judged",
        verbose_name=_("judge"),
    )
    prosecutor = models.ForeignKey(
        "records.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hearings_prosecuted",
        verbose_name=_("prosecutor"),
    )
    appeal_deadline = models.DateField(_("appeal deadline"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["date", "time", "created_at"]
        verbose_name = _("hearing")

    def __str__(self) -> str:
        return f"{self.case} ({self.date.isoformat()})"


class ObserverAssignment(VigilModel):
    """A user assigned to observe a hearing."""

    hearing = models.ForeignKey(Hearing, on_delete=models.PROTECT, related_name="assignments")
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="observer_assignments",
        verbose_name=_("observer"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("observer assignment")
        constraints = [
            models.UniqueConstraint(
                fields=["hearing", "observer"], name="solidarity_one_assignment_per_observer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.observer} observes {self.hearing_id}"


class Answer(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")
    UNKNOWN = "unknown", _("could not tell")


class Access(models.TextChoices):
    ADMITTED = "admitted", _("admitted")
    REFUSED_ENTRY = "refused_entry", _("refused entry to the courtroom")
    REFUSED_VISA = "refused_visa", _("refused a visa")


class ObservationReport(VigilModel):
    """What one observer saw at one hearing, against the fair-trial checklist."""

    hearing = models.ForeignKey(Hearing, on_delete=models.PROTECT, related_name="reports")
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="observation_reports",
        verbose_name=_("observer"),
    )
    access = models.CharField(
        _("observer's access"), max_length=16, choices=Access.choices, default=Access.ADMITTED
    )
    # Checklist item key (vocabulary ``fair_trial_check``) → "yes" / "no" / "unknown".
    answers = models.JSONField(default=dict, blank=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    motions_refused = models.PositiveSmallIntegerField(
        _("defence motions refused"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    # The act recorded when the observer was refused entry or a visa.
    refusal_act = models.ForeignKey(
        "records.Act", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("observation report")

    def __str__(self) -> str:
        return f"observation of {self.hearing_id} by {self.observer}"


class StatementKind(models.TextChoices):
    STATEMENT = "statement", _("public statement")
    LETTER = "letter", _("letter")
    JOINT_LETTER = "joint_letter", _("joint letter")
    UN_COMMUNICATION = "un_communication", _("UN experts' statement")
    GOVERNMENT = "government", _("government statement")
    CAMPAIGN = "campaign", _("campaign")


class EndangeredLawyerDay(models.Model):
    """One edition of the Day of the Endangered Lawyer (24 January) and its focus country."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    focus_country = models.CharField(_("focus country"), max_length=2)
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("Day of the Endangered Lawyer")

    def __str__(self) -> str:
        return f"{self.year} ({self.focus_country})"

    @property
    def day(self) -> object:
        import datetime as dt

        return dt.date(self.year, 1, 24)


class Statement(VigilModel, UncertainDateMixin):
    """A statement, letter or campaign of solidarity, by an organisation or as stated."""

    kind = models.CharField(
        _("kind"), max_length=20, choices=StatementKind.choices, default=StatementKind.STATEMENT
    )
    title = models.CharField(_("title"), max_length=300)
    author = models.ForeignKey(
        "records.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statements",
        verbose_name=_("by (organisation)"),
    )
    author_text = models.CharField(_("by (as stated)"), max_length=300, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    edition = models.ForeignKey(
        EndangeredLawyerDay,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statements",
        verbose_name=_("Day of the Endangered Lawyer"),
    )
    followed = models.TextField(_("what followed"), blank=True)
    followed_date = models.DateField(_("what followed: date"), null=True, blank=True)
    persons = models.ManyToManyField("records.Person", blank=True, related_name="statements")
    cases = models.ManyToManyField("records.Case", blank=True, related_name="statements")

    class Meta:
        ordering = ["-date", "title"]
        verbose_name = _("statement")

    def __str__(self) -> str:
        return self.title

    @property
    def by(self) -> str:
        return self.author.display_name if self.author else self.author_text


class Signatory(VigilModel):
    """One signatory of a statement: an organisation of the record, or a name as stated."""

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="signatories")
    organisation = models.ForeignKey(
        "records.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name_text = models.CharField(_("name as stated"), max_length=300, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("signatory")

    def __str__(self) -> str:
        return self.organisation.display_name if self.organisation else self.name_text


class InternationalDateKind(models.TextChoices):
    UN_SESSION = "un_session", _("UN session")
    UPR_DEADLINE = "upr_deadline", _("UPR deadline")
    SUBMISSION_DEADLINE = "submission_deadline", _("Submission deadline")
    OTHER = "other", _("Other international date")


class InternationalDate(models.Model):
    """A dated item of the international calendar (a UN session, a UPR deadline) entered by
    an admin or a coordinator from the body's own announcement; Vigil ships none."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    date = models.DateField(_("date"), db_index=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=InternationalDateKind.choices, default="other"
    )
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("link to the announcement"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "title"]
        verbose_name = _("international date")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.title}"


class CalendarToken(FeedSecret):
    """The secret in a user's iCalendar feed address."""

    feed_label = "calendar feed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens"
    )
