"""Sanctions lists, their listed entities, and screening matches with reviewers' decisions."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vigil.core.models import VigilModel

STALE_AFTER_DAYS = 90


class SanctionsList(models.Model):
    """One imported sanctions list (public data), known by its name (e.g. ``eu-765``)."""

    name = models.CharField(max_length=60, unique=True)
    kind = models.CharField(max_length=20)
    issuer = models.CharField(max_length=60)
    programme = models.CharField(max_length=120, blank=True)
    version_date = models.DateField(null=True, blank=True)
    source_version = models.CharField(max_length=100, blank=True)
    source_file = models.CharField(max_length=300, blank=True)
    imported_at = models.DateTimeField()
    entity_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version_label})"

    @property
    def version_label(self) -> str:
        return self.version_date.isoformat() if self.version_date else "date unknown"

    @property
    def label(self) -> str:
        """The list as a person names it ("EU Belarus list (Reg. 765/2006)"), never its code."""
        from vigil.sanctions.labels import list_label

        return list_label(self)

    @property
    def version_text(self) -> str:
        """The version date in the active language's format (``version_label`` is ISO)."""
        from vigil.sanctions.labels import version_label

        return version_label(self)

    def is_stale(self, today: dt.date | None = None) -> bool:
        """Older than 90 days, or of unknown date: a 'not found' on it means little."""
        if self.version_date is None:
            return True
        today = today or dt.date.today()
        return (today - self.version_date).days > STALE_AFTER_DAYS


class ListedEntity(models.Model):
    """One entry of a list, keyed by the list's own identifier (EU annex/recordId, OFAC ent_num)."""

    sanctions_list = models.ForeignKey(
        SanctionsList, on_delete=models.PROTECT, related_name="entities"
    )
    entity_id = models.CharField(max_length=120)
    schema = models.CharField(max_length=30)
    caption = models.CharField(max_length=500)
    names = models.JSONField(default=list)
    birth_dates = models.JSONField(default=list)
    birth_places = models.JSONField(default=list)
    gender = models.CharField(max_length=10, blank=True)
    nationalities = models.JSONField(default=list)
    positions = models.JSONField(default=list)
    programme = models.CharField(max_length=120, blank=True)
    listing_date = models.CharField(max_length=10, blank=True)
    measures = models.JSONField(default=list)
    reason = models.TextField(blank=True)
    fingerprint = models.CharField(max_length=64)
    active = models.BooleanField(default=True, help_text="Present in the latest version imported")
    first_seen = models.DateField(null=True, blank=True)
    removed_in = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["sanctions_list", "entity_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sanctions_list", "entity_id"], name="uniq_listed_entity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.caption} ({self.sanctions_list.name} {self.entity_id})"

    def name_values(self) -> list[str]:
        return [n["value"] for n in self.names]


class ListChange(models.Model):
    """What a re-import of a newer list version added, changed or removed."""

    sanctions_list = models.ForeignKey(
        SanctionsList, on_delete=models.PROTECT, related_name="changes"
    )
    at = models.DateTimeField()
    version_date = models.DateField(null=True, blank=True)
    entity_id = models.CharField(max_length=120)
    change = models.CharField(max_length=10)  # added, changed, removed
    caption = models.CharField(max_length=500)

    class Meta:
        ordering = ["-at", "entity_id"]

    def __str__(self) -> str:
        return f"{self.change} {self.entity_id}"


class Decision(models.TextChoices):
    PENDING = "pending", _("awaiting review")
    CONFIRMED = "confirmed", _("confirmed: same person")
    REJECTED = "rejected", _("rejected: different person")


class ScreeningMatch(VigilModel):
    """A candidate link between a perpetrator in the record and a listed entity.

    Only confirmed matches count anywhere; the decision is an analyst's, with history.
    """

    person = models.ForeignKey(
        "records.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="screening_matches",
    )
    organisation = models.ForeignKey(
        "records.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="screening_matches",
    )
    listed_entity = models.ForeignKey(
        ListedEntity, on_delete=models.PROTECT, related_name="matches"
    )
    score = models.FloatField()
    query_name = models.CharField(max_length=500)
    matched_name = models.CharField(max_length=500)
    explanation = models.TextField()
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "listed_entity"],
                name="uniq_person_match",
                condition=Q(person__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["organisation", "listed_entity"],
                name="uniq_org_match",
                condition=Q(organisation__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.query_name} ~ {self.matched_name} ({self.score:.2f}, {self.decision})"


class ListScreening(models.Model):
    """That a perpetrator was screened against a list, and against which version of it.

    One row per (person or organisation, list), moved on to each version screened. Until the
    row names the list's current import, the gap report says "not screened yet", never "not found".
    """

    person = models.ForeignKey(
        "records.Person",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="list_screenings",
    )
    organisation = models.ForeignKey(
        "records.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="list_screenings",
    )
    sanctions_list = models.ForeignKey(
        SanctionsList, on_delete=models.CASCADE, related_name="screenings"
    )
    list_imported_at = models.DateTimeField(help_text="The list's import this screening used")
    list_version_date = models.DateField(null=True, blank=True)
    screened_at = models.DateTimeField()

    class Meta:
        constraints = [
            # Full (not partial) unique constraints, so that a bulk upsert can name them;
            # rows of the other side hold NULL there, and NULLs never collide.
            models.UniqueConstraint(
                fields=["person", "sanctions_list"], name="uniq_person_list_screening"
            ),
            models.UniqueConstraint(
                fields=["organisation", "sanctions_list"], name="uniq_org_list_screening"
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False, organisation__isnull=True)
                | Q(person__isnull=True, organisation__isnull=False),
                name="list_screening_one_side",
            ),
        ]

    def __str__(self) -> str:
        who = self.person_id or f"organisation {self.organisation_id}"
        return f"{who} screened against {self.sanctions_list_id}"

    def is_current(self, lst: SanctionsList) -> bool:
        """Whether this screening used the list's current version."""
        return self.sanctions_list_id == lst.pk and self.list_imported_at == lst.imported_at
