"""Cases, the first intervention model, and sourced statistics."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import VigilModel
from vigil.records.models.fields import DatePrecision, UncertainDateMixin, term_fk


class CaseStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class Case(VigilModel):
    """A case: the persons and events grouped around a victim or a proceeding."""

    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        _("status"), max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    description = models.TextField(_("description"), blank=True)
    persons = models.ManyToManyField("records.Person", blank=True, related_name="cases")
    events = models.ManyToManyField("records.Event", blank=True, related_name="cases")

    class Meta:
        ordering = ["title"]
        verbose_name = _("case")

    def __str__(self) -> str:
        return self.title


class Intervention(VigilModel, UncertainDateMixin):
    """An action by an intervening party (UN, government, bar, NGO) about persons, acts, cases."""

    intervention_type = term_fk("intervention_type", _("type"), null=False)
    party = models.ForeignKey(
        "records.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interventions",
        verbose_name=_("intervening party"),
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    url = models.URLField(max_length=500, blank=True)
    status = term_fk("intervention_status", _("status"))
    state_response = term_fk("state_response", _("state's response"))
    state_response_date = models.DateField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    description = models.TextField(blank=True)
    persons = models.ManyToManyField("records.Person", blank=True, related_name="interventions")
    acts = models.ManyToManyField("records.Act", blank=True, related_name="interventions")
    cases = models.ManyToManyField(Case, blank=True, related_name="interventions")

    class Meta:
        ordering = ["date"]
        verbose_name = _("intervention")


class Qualifier(models.TextChoices):
    EXACT = "exact", _("exactly")
    MORE_THAN = "more_than", _("more than")
    AT_LEAST = "at_least", _("at least")
    ABOUT = "about", _("about")


class Statistic(VigilModel):
    """A sourced aggregate ("more than 1,200 NGOs closed"); charts plot only these points."""

    subject = models.CharField(_("what is counted"), max_length=300)
    series = models.CharField(max_length=100, blank=True, db_index=True)
    value = models.DecimalField(max_digits=14, decimal_places=2)
    qualifier = models.CharField(max_length=10, choices=Qualifier.choices, default="exact")
    unit = models.CharField(max_length=60, blank=True)
    as_of = models.DateField(null=True, blank=True)
    as_of_precision = models.CharField(
        max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    country = models.CharField(max_length=2, blank=True, default="BY")
    source = models.ForeignKey(
        "records.Source",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statistics",
    )
    method_note = models.TextField(blank=True)

    class Meta:
        ordering = ["series", "as_of"]
        verbose_name = _("statistic")
