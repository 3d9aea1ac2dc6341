"""Persons and organisations, with names in every script, professions and external ids."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import VigilModel
from vigil.crypto.fields import EncryptedTextField
from vigil.records.models.fields import DatePrecision, NameMixin, term_fk


class Sex(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    OTHER = "other", _("other")
    UNKNOWN = "unknown", _("unknown")


class Person(VigilModel):
    """A human being in the record: victim, perpetrator, counsel or source, by involvement."""

    display_name = models.CharField(_("name"), max_length=300, db_index=True)
    name_withheld = models.BooleanField(
        _("name withheld by the source"),
        default=False,
        help_text=_("Never merged, screened or offered for merge."),
    )
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_date_precision = models.CharField(
        max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    birth_place = models.CharField(_("birth place"), max_length=200, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # The most dangerous fields: encrypted per value (AES-256-GCM) on every backend, and
    # readable only through the policy's identity reveal (step-up, quota, audit).
    contact_details = EncryptedTextField(
        _("contact details"),
        blank=True,
        null=True,
        help_text=_("Encrypted; shown only through an audited reveal."),
    )
    family_contacts = EncryptedTextField(
        _("family contacts"),
        blank=True,
        null=True,
        help_text=_("Encrypted; shown only through an audited reveal."),
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        # The live rows of a level: every list counts and pages through them. One index per
        # sort of the person list: a filtered page reads persons in its order and stops once
        # it is full (issue 14 §2).
        indexes = [
            models.Index(fields=["deleted_at", "confidentiality"], name="person_live_level"),
            models.Index(fields=["display_name", "id"], name="person_name_order"),
            models.Index(fields=["birth_date", "id"], name="person_born_order"),
            models.Index(fields=["updated_at", "id"], name="person_updated_order"),
        ]

    def __str__(self) -> str:
        return self.display_name or str(_("(name withheld)"))


class PersonName(VigilModel, NameMixin):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="names")

    class Meta:
        ordering = ["-is_primary", "value"]
        verbose_name = _("person name")


class Profession(VigilModel):
    """A profession a person holds or held; lawyers carry their licence."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="professions")
    profession = term_fk("profession", _("profession"), null=False)
    licence_number = models.CharField(_("licence number"), max_length=60, blank=True)
    bar_association = models.ForeignKey(
        "records.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    licence_status = models.CharField(_("licence status"), max_length=60, blank=True)
    since = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("profession")


class Organisation(VigilModel):
    """An NGO, bar association, court, ministry, prison, UN mechanism, foreign government..."""

    display_name = models.CharField(_("name"), max_length=300, db_index=True)
    kind = term_fk("organisation_kind", _("kind"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    country = models.CharField(_("country"), max_length=2, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.display_name


class OrganisationName(VigilModel, NameMixin):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="names")

    class Meta:
        ordering = ["-is_primary", "value"]
        verbose_name = _("organisation name")


class ExternalId(VigilModel):
    """An identifier of a person or organisation in another system (Viasna, Wikidata...)."""

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="external_ids"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="external_ids"
    )
    scheme = models.CharField(max_length=40)
    value = models.CharField(max_length=300)
    status = models.CharField(
        _("status as listed by the source"),
        max_length=60,
        blank=True,
        help_text=_("Kept verbatim; custody is derived from acts, not from this."),
    )

    class Meta:
        verbose_name = _("external identifier")
        indexes = [models.Index(fields=["scheme", "value"])]

    def __str__(self) -> str:
        return f"{self.scheme}: {self.value}"
