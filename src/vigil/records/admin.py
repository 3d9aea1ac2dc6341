"""The admin of the record: every record model, no hard delete, bookkeeping read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.forms import BaseFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from vigil.policy.admin_base import ReadOnlyAdmin, RecordAdmin, RecordInline, admin_site_permission
from vigil.records.models import (
    Act,
    ActCharge,
    Case,
    Counsel,
    CustodyEvent,
    Event,
    EventLink,
    Evidence,
    ExternalId,
    Information,
    Intervention,
    Involvement,
    LegalAmendment,
    LegalProvision,
    Organisation,
    OrganisationName,
    Participant,
    Person,
    PersonMerge,
    PersonName,
    Profession,
    Source,
    Statistic,
    Term,
)
from vigil.records.names import normalised_name

admin.site.site_header = _("Vigil administration")
admin.site.site_title = _("Vigil")
admin.site.index_title = _("The record and its users")
# Staff of any other role see the admin's sign-in page, never its pages (Django's default lets
# every active staff member in).
admin.site.has_permission = admin_site_permission  # type: ignore[method-assign]

RELATED_ONLY = admin.RelatedOnlyFieldListFilter


def _index_name(obj: Model) -> None:
    """Keep the search column of a name equal to its value."""
    if isinstance(obj, PersonName | OrganisationName):
        obj.normalised = normalised_name(obj.value)


class NamesIndexedMixin:
    """Names saved through the admin get their search form, as imports give them."""

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        _index_name(obj)
        super().save_model(request, obj, form, change)  # type: ignore[misc]

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseFormSet, change: bool
    ) -> None:
        for inline_form in formset.forms:
            if getattr(inline_form, "instance", None) is not None:
                _index_name(inline_form.instance)
        super().save_formset(request, form, formset, change)  # type: ignore[misc]


class PersonNameInline(RecordInline):
    model = PersonName
    fields = ("value", "script", "lang", "kind", "scheme", "is_primary", "confidentiality")


class ExternalIdInline(RecordInline):
    model = ExternalId
    fk_name = "person"
    fields = ("scheme", "value", "status")


class ProfessionInline(RecordInline):
    model = Profession
    fk_name = "person"
    fields = ("profession", "licence_number", "bar_association", "licence_status", "since", "until")
    autocomplete_fields = ("bar_association",)


@admin.register(Person)
class PersonAdmin(NamesIndexedMixin, RecordAdmin):
    list_display = (
        "display_name",
        "sex",
        "birth_date",
        "name_withheld",
        "confidentiality",
        "is_synthetic",
        "updated_at",
    )
    list_filter = ("sex", "name_withheld")
    search_fields = ("display_name", "names__value", "names__normalised")
    autocomplete_fields = ("merged_into",)
    inlines = (PersonNameInline, ExternalIdInline, ProfessionInline)


@admin.register(PersonName)
class PersonNameAdmin(NamesIndexedMixin, RecordAdmin):
    list_display = ("value", "person", "script", "lang", "kind", "is_primary")
    list_filter = ("script", "lang", "kind")
    search_fields = ("value", "normalised", "person__display_name")
    autocomplete_fields = ("person",)
    list_select_related = ("person",)


@admin.register(Profession)
class ProfessionAdmin(RecordAdmin):
    list_display = ("person", "profession", "licence_status", "bar_association")
    list_filter = (("profession", RELATED_ONLY),)
    search_fields = ("person__display_name", "licence_number")
    autocomplete_fields = ("person", "bar_association")
    list_select_related = ("person", "profession", "bar_association")


class OrganisationNameInline(RecordInline):
    model = OrganisationName
    fields = ("value", "script", "lang", "kind", "scheme", "is_primary", "confidentiality")


@admin.register(Organisation)
class OrganisationAdmin(NamesIndexedMixin, RecordAdmin):
    list_display = ("display_name", "kind", "country", "parent", "confidentiality")
    list_filter = (("kind", RELATED_ONLY), "country")
    search_fields = ("display_name", "names__value", "names__normalised")
    autocomplete_fields = ("parent",)
    list_select_related = ("kind", "parent")
    inlines = (OrganisationNameInline,)


@admin.register(OrganisationName)
class OrganisationNameAdmin(NamesIndexedMixin, RecordAdmin):
    list_display = ("value", "organisation", "script", "lang", "kind", "is_primary")
    list_filter = ("script", "lang", "kind")
    search_fields = ("value", "normalised", "organisation__display_name")
    autocomplete_fields = ("organisation",)
    list_select_related = ("organisation",)


@admin.register(ExternalId)
class ExternalIdAdmin(RecordAdmin):
    list_display = ("scheme", "value", "person", "organisation", "status")
    list_filter = ("scheme", "status")
    search_fields = ("value", "person__display_name", "organisation__display_name")
    autocomplete_fields = ("person", "organisation")
    list_select_related = ("person", "organisation")


@admin.register(Event)
class EventAdmin(RecordAdmin):
    list_display = ("title", "when", "place", "country", "confidentiality")
    list_filter = ("date_precision", "country")
    search_fields = ("title", "description", "place")
    date_hierarchy = "date"
    ordering = ("-date", "title")

    @admin.display(description=_("date"), ordering="date")
    def when(self, obj: Event) -> str:
        return obj.date_display


@admin.register(EventLink)
class EventLinkAdmin(RecordAdmin):
    list_display = ("from_event", "relation", "to_event")
    list_filter = (("relation", RELATED_ONLY),)
    search_fields = ("from_event__title", "to_event__title")
    autocomplete_fields = ("from_event", "to_event")
    list_select_related = ("from_event", "relation", "to_event")


@admin.register(Act)
class ActAdmin(RecordAdmin):
    list_display = ("act_type", "victim", "when", "status", "event", "confidentiality")
    list_filter = (("act_type", RELATED_ONLY), "status", "suspended")
    search_fields = (
        "victim_person__display_name",
        "victim_organisation__display_name",
        "event__title",
        "place_text",
        "sentence_text",
    )
    autocomplete_fields = ("event", "victim_person", "victim_organisation", "place")
    list_select_related = ("act_type", "victim_person", "victim_organisation", "event")
    date_hierarchy = "date"
    ordering = ("-date", "-created_at")

    @admin.display(description=_("date"), ordering="date")
    def when(self, obj: Act) -> str:
        return obj.date_display


@admin.register(ActCharge)
class ActChargeAdmin(RecordAdmin):
    list_display = ("provision", "inchoate", "text_as_written", "act")
    list_filter = ("inchoate", "provision__code")
    search_fields = ("text_as_written", "provision__article", "provision__title")
    autocomplete_fields = ("act", "provision")
    list_select_related = ("provision", "act__act_type", "act__victim_person")


@admin.register(Involvement)
class InvolvementAdmin(RecordAdmin):
    list_display = ("perpetrator", "role", "degree", "act")
    list_filter = (("role", RELATED_ONLY), ("degree", RELATED_ONLY))
    search_fields = (
        "perpetrator_person__display_name",
        "perpetrator_organisation__display_name",
        "act__victim_person__display_name",
    )
    autocomplete_fields = ("act", "perpetrator_person", "perpetrator_organisation")
    list_select_related = (
        "perpetrator_person",
        "perpetrator_organisation",
        "role",
        "degree",
        "act__act_type",
        "act__victim_person",
    )

    @admin.display(description=_("perpetrator"))
    def perpetrator(self, obj: Involvement) -> Any:
        return obj.perpetrator_person or obj.perpetrator_organisation


@admin.register(Counsel)
class CounselAdmin(RecordAdmin):
    list_display = ("lawyer", "act")
    search_fields = ("lawyer__display_name", "act__victim_person__display_name")
    autocomplete_fields = ("act", "lawyer")
    list_select_related = ("lawyer", "act__act_type", "act__victim_person")


@admin.register(Participant)
class ParticipantAdmin(RecordAdmin):
    list_display = ("name_text", "stated_role", "confirmed_role", "person", "act")
    list_filter = ("stated_role", "confirmed_role")
    search_fields = ("name_text", "person__display_name", "act__victim_person__display_name")
    autocomplete_fields = ("act", "person")
    list_select_related = ("person", "act__act_type", "act__victim_person")


@admin.register(LegalProvision)
class LegalProvisionAdmin(RecordAdmin):
    list_display = ("__str__", "code", "article", "part", "point", "title")
    list_filter = ("jurisdiction", "code")
    search_fields = ("article", "title")


@admin.register(LegalAmendment)
class LegalAmendmentAdmin(RecordAdmin):
    list_display = ("provision", "date", "summary")
    search_fields = ("summary", "provision__article")
    autocomplete_fields = ("provision",)
    list_select_related = ("provision",)


@admin.register(Source)
class SourceAdmin(RecordAdmin):
    list_display = ("title", "source_type", "reliability", "publisher", "when", "confidentiality")
    list_filter = (("source_type", RELATED_ONLY), ("reliability", RELATED_ONLY))
    search_fields = ("title", "publisher", "url", "citation")
    autocomplete_fields = ("source_person",)
    list_select_related = ("source_type", "reliability")

    @admin.display(description=_("date"), ordering="date")
    def when(self, obj: Source) -> str:
        return obj.date_display if obj.date else ""


@admin.register(Evidence)
class EvidenceAdmin(RecordAdmin):
    list_display = ("original_name", "source", "content_type", "size", "sha256")
    search_fields = ("original_name", "sha256", "source__title")
    autocomplete_fields = ("source",)
    list_select_related = ("source",)
    readonly_fields = ("stored_name", "sha256", "size")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A file enters only through ingest, which stores it and computes its digest.
        return False


@admin.register(CustodyEvent)
class CustodyEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "evidence", "action", "context_kind", "actor_id")
    list_filter = ("action", "context_kind")
    search_fields = ("evidence__original_name", "sha256")
    list_select_related = ("evidence",)


@admin.register(Information)
class InformationAdmin(RecordAdmin):
    list_display = ("source", "target_type", "target_id", "claim_kind", "reliability")
    list_filter = ("claim_kind", ("target_type", RELATED_ONLY), ("reliability", RELATED_ONLY))
    search_fields = ("source__title", "quote", "=target_id")
    autocomplete_fields = ("source",)
    list_select_related = ("source", "target_type", "reliability")


@admin.register(Case)
class CaseAdmin(RecordAdmin):
    list_display = ("title", "status", "confidentiality")
    list_filter = ("status",)
    search_fields = ("title", "description")
    autocomplete_fields = ("persons", "events")


@admin.register(Intervention)
class InterventionAdmin(RecordAdmin):
    list_display = (
        "intervention_type",
        "title",
        "reference",
        "party",
        "when",
        "status",
        "state_response",
    )
    list_filter = (
        ("intervention_type", RELATED_ONLY),
        ("status", RELATED_ONLY),
        ("state_response", RELATED_ONLY),
    )
    search_fields = ("title", "reference", "description", "party__display_name")
    autocomplete_fields = ("party", "persons", "acts", "cases")
    list_select_related = ("intervention_type", "party", "status", "state_response")

    @admin.display(description=_("date"), ordering="date")
    def when(self, obj: Intervention) -> str:
        return obj.date_display


@admin.register(Statistic)
class StatisticAdmin(RecordAdmin):
    list_display = ("subject", "series", "qualifier", "value", "unit", "as_of", "source")
    list_filter = ("series", "country")
    search_fields = ("subject", "series", "method_note")
    autocomplete_fields = ("source",)
    list_select_related = ("source",)


@admin.register(PersonMerge)
class PersonMergeAdmin(ReadOnlyAdmin):
    # Merges move references between records: only the merge service may write them.
    list_display = ("duplicate", "keep", "reason", "created_at", "unmerged_at")
    list_select_related = ("duplicate", "keep")
    search_fields = ("keep__display_name", "duplicate__display_name", "reason")


@admin.register(Term)
class TermAdmin(ReadOnlyAdmin):
    list_display = ("id", "label_en", "label_ru", "label_be", "be_reviewed", "code")
    list_filter = ("vocabulary", "be_reviewed", "source")
    search_fields = ("key", "code", "label_en", "label_ru", "label_be")
