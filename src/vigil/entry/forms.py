"""The entry forms: a person with names in several scripts, an arrest, a trial, sources."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from vigil.core.day_input import DayField
from vigil.core.models import Confidentiality
from vigil.entry.fields import (
    CitationField,
    PersonChoiceField,
    TermPickerField,
    UncertainDateField,
)
from vigil.entry.preselect import NEW, Offer, offer_for
from vigil.records.entry import (
    ArrestInput,
    NameInput,
    OrganisationRef,
    PersonInput,
    PersonRef,
    SentenceInput,
    SourceInput,
    TrialInput,
    levels_for,
)
from vigil.records.models import ClaimKind, NameKind, Script, Sex

if TYPE_CHECKING:
    from vigil.accounts.types import User

LANGUAGES = [
    ("", _("not known")),
    ("be", _("Belarusian")),
    ("ru", _("Russian")),
    ("en", _("English")),
    ("pl", _("Polish")),
    ("uk", _("Ukrainian")),
]
JUDGE_ROLES = [("judge", _("Judge")), ("presiding_judge", _("Presiding judge"))]
OFFICER_ROLES = [
    ("investigator", _("Investigator")),
    ("police_officer", _("Police officer")),
    ("ordering_official", _("Official who gave the order")),
]
CHARGE_FIELDS = ("charge_1", "charge_2", "charge_3")
PICKERS = ("victim", "judge", "prosecutor", "counsel", "officer")


def suggest_attrs(field: str, include: str, **extra: str) -> dict[str, Any]:
    """htmx attributes that show the duplicate warning under ``field`` while a name is typed."""
    return {
        "autocomplete": "off",
        "hx-get": reverse_lazy("entry:suggest_person"),
        "hx-vals": json.dumps({"field": field, **extra}),
        "hx-trigger": "input changed delay:500ms",
        "hx-target": f"#{field}-suggestions",
        "hx-include": include,
    }


def _text(label: Any, *, required: bool = False, max_length: int = 300, **kw: Any) -> Any:
    return forms.CharField(label=label, required=required, max_length=max_length, **kw)


def _existing() -> PersonChoiceField:
    # Rendered as radio buttons by the duplicate warning (or the page that named the person).
    return PersonChoiceField()


class ConfidentialityMixin:
    """A confidentiality choice cut to the levels the user may record at."""

    fields: dict[str, forms.Field]

    def limit_levels(self, user: User) -> None:
        labels = dict(Confidentiality.choices)
        choices = [(level, labels[level]) for level in levels_for(user)]
        field = self.fields["confidentiality"]
        field.choices = choices  # type: ignore[attr-defined]
        if Confidentiality.INTERNAL.value not in dict(choices) and choices:
            field.initial = choices[0][0]


def _confidentiality() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Confidentiality"),
        choices=Confidentiality.choices,
        initial=Confidentiality.INTERNAL.value,
        help_text=_("Who may read what you record. Internal unless a coordinator publishes it."),
    )


# --- persons --------------------------------------------------------------------------------
class NameForm(forms.Form):
    """One name of a person."""

    id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    value = _text(
        _("Name"), widget=forms.TextInput(attrs=suggest_attrs("person", "[name$='-value']"))
    )
    script = forms.ChoiceField(
        label=_("Script"),
        required=False,
        choices=[("", _("guess from the letters")), *Script.choices],
    )
    lang = forms.ChoiceField(label=_("Language"), required=False, choices=LANGUAGES)
    kind = forms.ChoiceField(label=_("Kind"), choices=NameKind.choices, initial=NameKind.OFFICIAL)
    scheme = _text(_("Transliteration scheme"), max_length=40)
    is_primary = forms.BooleanField(label=_("Primary"), required=False)

    def to_input(self) -> NameInput:
        d = self.cleaned_data
        return NameInput(
            value=d["value"],
            script=d["script"],
            lang=d["lang"],
            kind=d["kind"] or NameKind.OFFICIAL,
            scheme=d["scheme"],
            is_primary=d["is_primary"],
            id=d["id"],
        )


NameFormSet = forms.formset_factory(NameForm, extra=3, can_delete=True, max_num=30)


class PersonForm(ConfidentialityMixin, forms.Form):
    """The fields of a person besides the names."""

    display_name = _text(
        _("Name shown in lists"), help_text=_("Leave blank to use the primary name.")
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth_date = UncertainDateField(label=_("Birth date"), required=False)
    birth_place = _text(_("Birth place"), max_length=200)
    nationality = _text(_("Nationality (two-letter code)"), max_length=2)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea)
    confidentiality = _confidentiality()
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_levels(user)

    def to_input(self, names: Any) -> PersonInput:
        d = self.cleaned_data
        deleted = names.deleted_forms
        # A blank row adds nothing; an existing name emptied or ticked for removal is removed.
        kept = [
            f.to_input()
            for f in names.forms
            if f not in deleted and (f.cleaned_data.get("value") or "").strip()
        ]
        return PersonInput(
            names=kept,
            display_name=d["display_name"],
            sex=d["sex"],
            birth_date=d["birth_date"],
            birth_place=d["birth_place"],
            nationality=d["nationality"],
            notes=d["notes"],
            confidentiality=d["confidentiality"],
        )


# --- sources --------------------------------------------------------------------------------
class SourceForm(forms.Form):
    """A source cited for the whole entry: one already recorded, or a new citation."""

    existing = _existing()
    title = _text(_("Title"), max_length=500)
    url = forms.URLField(
        label=_("Address (URL)"), required=False, max_length=500, assume_scheme="https"
    )
    publisher = _text(_("Publisher"))
    source_type = TermPickerField("source_type", label=_("Type of source"), required=False)
    reliability = TermPickerField("source_reliability", label=_("Reliability"), required=False)
    date = UncertainDateField(label=_("Date of the source"), required=False)
    quote = forms.CharField(
        label=_("Quote supporting the facts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    claim_kind = forms.ChoiceField(
        label=_("Where the source says it"),
        choices=ClaimKind.choices,
        initial=ClaimKind.SOURCE_TEXT,
    )

    def to_input(self) -> SourceInput | None:
        d = self.cleaned_data
        if not d:
            return None
        return SourceInput(
            source_id=d.get("existing"),
            title=d.get("title", ""),
            url=d.get("url", ""),
            publisher=d.get("publisher", ""),
            source_type=d.get("source_type", ""),
            reliability=d.get("reliability", ""),
            date=d.get("date"),
            quote=d.get("quote", ""),
            claim_kind=d.get("claim_kind") or ClaimKind.SOURCE_TEXT,
        )


SourceFormSet = forms.formset_factory(SourceForm, extra=2, max_num=10)


def source_inputs(sources: Any) -> list[SourceInput]:
    """The sources a formset describes (blank rows left out)."""
    found = [f.to_input() for f in sources.forms if f.has_changed()]
    return [s for s in found if s is not None]


# --- arrest and trial -----------------------------------------------------------------------
def person_ref(data: dict[str, Any], prefix: str) -> PersonRef | None:
    """An existing person picked under ``prefix``, or a new one by the name typed."""
    existing = data.get(f"{prefix}_existing")
    if isinstance(existing, uuid.UUID):
        return PersonRef(person_id=existing)
    name = (data.get(f"{prefix}_name") or "").strip()
    return PersonRef.named(name) if name else None


def typed_names(data: Any, prefix: str) -> list[str]:
    """The names typed in the inputs of one picker."""
    keys = [k for k in data if k == f"{prefix}_name" or k.startswith(f"{prefix}_name_")]
    return [str(data[k]).strip() for k in sorted(keys) if str(data.get(k) or "").strip()][:5]


# Shown when a name like a recorded person's was typed and no choice was made.
CHOOSE_MESSAGE = _(
    "A recorded person has a name like this. Choose them below, or “None of these” to record "
    "a new person."
)


def _organisation_ref(name: str) -> OrganisationRef | None:
    return OrganisationRef(name=name) if name.strip() else None


class EntryForm(ConfidentialityMixin, forms.Form):
    """What arrests and trials share: the victim, charges, counsel, title, confidentiality."""

    victim_existing = _existing()
    victim_name_latn = _text(_("Name in Latin letters"))
    victim_name_be = _text(_("Name in Belarusian"))
    victim_name_ru = _text(_("Name in Russian"))
    charge_1 = CitationField(label=_("Charge"), required=False)
    charge_2 = CitationField(label=_("Another charge"), required=False)
    charge_3 = CitationField(label=_("Another charge"), required=False)
    counsel_existing = _existing()
    counsel_name = _text(_("Defence lawyer"))
    title = _text(
        _("Title of the event"), help_text=_("Leave blank for a title made from the name.")
    )
    description = forms.CharField(
        label=_("What happened"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    known_since = DayField(
        label=_("Known since"),
        required=False,
        help_text=_("The day your organisation learned of this. Leave blank for today."),
    )
    confidentiality = _confidentiality()

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.limit_levels(user)
        # What each picker offered for the names typed, when the page is shown again.
        self.offers: dict[str, Offer] = {}
        for name, field in self.fields.items():
            prefix = name.split("_name", 1)[0]
            if "_name" in name and prefix in PICKERS:
                field.widget.attrs.update(suggest_attrs(prefix, f"[name^='{prefix}_name']"))

    def pickers(self) -> list[str]:
        """The pickers this form has."""
        return [p for p in PICKERS if f"{p}_existing" in self.fields]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        named = any(data.get(f"victim_name_{s}") for s in ("latn", "be", "ru"))
        if not isinstance(data.get("victim_existing"), uuid.UUID) and not named:
            self.add_error(
                "victim_name_latn", _("Choose the person or give their name in any script.")
            )
        for prefix in self.pickers():
            self._offer(data, prefix)
        return data

    def _offer(self, data: dict[str, Any], prefix: str) -> None:
        """Ask for a choice when a typed name is like a recorded person's and none was made."""
        choice = data.get(f"{prefix}_existing")
        names = typed_names(data, prefix)
        if isinstance(choice, uuid.UUID) or not names:
            return
        offer = offer_for(self.user, prefix, names)
        if offer.suggestions:
            self.offers[prefix] = offer
        if choice != NEW and offer.must_choose:
            field = f"{prefix}_name" if f"{prefix}_name" in self.fields else f"{prefix}_name_latn"
            self.add_error(field, CHOOSE_MESSAGE)

    def victim(self) -> PersonRef:
        d = self.cleaned_data
        if isinstance(d.get("victim_existing"), uuid.UUID):
            return PersonRef(person_id=d["victim_existing"])
        names = [
            NameInput(d[f"victim_name_{s}"], script=script, lang=lang)
            for s, script, lang in (
                ("latn", Script.LATIN.value, ""),
                ("be", Script.CYRILLIC.value, "be"),
                ("ru", Script.CYRILLIC.value, "ru"),
            )
            if d.get(f"victim_name_{s}")
        ]
        return PersonRef(new=PersonInput(names=names, confidentiality=d["confidentiality"]))

    def charges(self) -> list[str]:
        return [self.cleaned_data[f] for f in CHARGE_FIELDS if self.cleaned_data.get(f)]

    def counsel(self) -> list[PersonRef]:
        ref = person_ref(self.cleaned_data, "counsel")
        return [ref] if ref else []


class ArrestForm(EntryForm):
    """Record an arrest."""

    date = UncertainDateField(label=_("Date of the arrest"))
    place = _text(_("Where (as stated)"), max_length=200)
    agency = _text(_("Agency that arrested (KGB, police...)"))
    officer_existing = _existing()
    officer_name = _text(_("Official involved"))
    officer_role = forms.ChoiceField(label=_("Their role"), choices=OFFICER_ROLES)
    detained = forms.BooleanField(
        label=_("Held in custody after the arrest"), required=False, initial=True
    )
    detention_place = _text(_("Place of detention (SIZO, IVS...)"))

    field_order = ["victim_name_latn", "victim_name_be", "victim_name_ru", "date", "place"]

    def to_input(self, sources: list[SourceInput]) -> ArrestInput:
        d = self.cleaned_data
        return ArrestInput(
            victim=self.victim(),
            date=d["date"],
            place=d["place"],
            agency=_organisation_ref(d["agency"]),
            officer=person_ref(d, "officer"),
            officer_role=d["officer_role"],
            detained=d["detained"],
            detention_place=_organisation_ref(d["detention_place"]),
            charges=self.charges(),
            counsel=self.counsel(),
            sources=sources,
            title=d["title"],
            description=d["description"],
            confidentiality=d["confidentiality"],
            known_since=d["known_since"],
        )


class TrialForm(EntryForm):
    """Record a trial and its sentence."""

    date = UncertainDateField(label=_("Date of the trial or verdict"))
    arrest_date = UncertainDateField(label=_("Date of the arrest, if known"), required=False)
    # Shown as a choice when the person's recorded arrests do not settle which one this is.
    arrest_choice = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    court = _text(_("Court"))
    judge_existing = _existing()
    judge_name = _text(_("Judge"))
    judge_role = forms.ChoiceField(label=_("Judge's role"), choices=JUDGE_ROLES)
    prosecutor_existing = _existing()
    prosecutor_name = _text(_("Prosecutor"))
    sentence_years = forms.IntegerField(
        label=_("Years"), required=False, min_value=0, max_value=100
    )
    sentence_months = forms.DecimalField(
        label=_("Months"), required=False, min_value=0, max_value=1200, decimal_places=1
    )
    sentence_regime = TermPickerField("detention_regime", label=_("Regime"), required=False)
    suspended = forms.BooleanField(label=_("Suspended"), required=False)
    fine_amount = forms.DecimalField(
        label=_("Fine"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    fine_unit = _text(_("Fine unit (base amounts, BYN...)"), max_length=40)
    sentence_text = _text(_("Sentence as stated"))

    def arrest_id(self) -> uuid.UUID | None:
        """The recorded arrest chosen for this trial, if one was."""
        try:
            return uuid.UUID(self.cleaned_data.get("arrest_choice") or "")
        except ValueError:
            return None

    def to_input(self, sources: list[SourceInput]) -> TrialInput:
        d = self.cleaned_data
        months: Decimal | None = None
        if d["sentence_years"] is not None or d["sentence_months"] is not None:
            months = Decimal(d["sentence_years"] or 0) * 12 + (d["sentence_months"] or 0)
        return TrialInput(
            victim=self.victim(),
            date=d["date"],
            court=_organisation_ref(d["court"]),
            judge=person_ref(d, "judge"),
            judge_role=d["judge_role"],
            prosecutor=person_ref(d, "prosecutor"),
            charges=self.charges(),
            sentence=SentenceInput(
                months=months,
                regime=d["sentence_regime"],
                suspended=d["suspended"],
                fine_amount=d["fine_amount"],
                fine_unit=d["fine_unit"],
                text=d["sentence_text"],
            ),
            counsel=self.counsel(),
            arrest_date=d["arrest_date"],
            arrest_id=self.arrest_id(),
            new_arrest=d.get("arrest_choice") == NEW,
            sources=sources,
            title=d["title"],
            description=d["description"],
            confidentiality=d["confidentiality"],
            known_since=d["known_since"],
        )


# Where an error the service names is shown on the page.
FIELD_MAP = {
    "victim": "victim_name_latn",
    "judge": "judge_name",
    "prosecutor": "prosecutor_name",
    "officer": "officer_name",
    "charges": "charge_1",
    "sentence_months": "sentence_years",
    "names": None,
}


def show_error(form: forms.Form, sources: Any, field: str, message: str) -> None:
    """Put a service error next to the field it names (or at the top of the form)."""
    if field.startswith("sources-") and sources is not None:
        _, index, *rest = field.split("-", 2)
        target = sources.forms[int(index)] if int(index) < len(sources.forms) else None
        if target is not None:
            name = rest[0] if rest and rest[0] in target.fields else None
            target.add_error(name, message)
            return
    if field.startswith("counsel-"):
        field = "counsel_name"
    name = FIELD_MAP.get(field, field)
    form.add_error(name if name in form.fields else None, message)
