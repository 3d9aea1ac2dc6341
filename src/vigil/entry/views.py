"""Entry pages: parse the form, call one recording service, show errors beside their fields."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from vigil.core.errors import Forbidden, VigilError
from vigil.entry.forms import (
    PICKERS,
    ArrestForm,
    EntryForm,
    NameFormSet,
    PersonForm,
    SourceFormSet,
    TrialForm,
    show_error,
    source_inputs,
    suggest_attrs,
)
from vigil.entry.pickers import PICKABLE, provision_options, term_options
from vigil.entry.preselect import NEW, Offer, offer_for
from vigil.entry.sources import find_sources
from vigil.policy.access import allows, restrict
from vigil.records.date_input import DateInput, format_date_input
from vigil.records.entry import (
    ArrestChoiceNeeded,
    EntryError,
    Recorded,
    create_person,
    may_record,
    record_arrest,
    record_trial,
    recorded_arrests,
    update_person,
)
from vigil.records.entry.known import known_for_trial
from vigil.records.models import Act, Person, Source
from vigil.records.visible import visible_or_404

if TYPE_CHECKING:
    from vigil.accounts.types import SignedInRequest, User

_SOURCE_FIELD = re.compile(r"sources-(\d{1,2})")


def _require_recorder(request: SignedInRequest) -> None:
    if not may_record(request.user):
        raise PermissionDenied


def _visible_person(user: User, value: Any) -> Person | None:
    try:
        return restrict(user, "view", Person.objects.filter(pk=value)).first()
    except (ValueError, TypeError, DjangoValidationError):  # a malformed id: nobody
        return None


@dataclass(frozen=True)
class PickerState:
    """What a picker shows when the page is drawn: a chosen person, or the persons offered."""

    person: Person | None = None
    offer: Offer | None = None
    checked: str = ""


def _pickers(request: SignedInRequest, form: EntryForm) -> dict[str, PickerState]:
    """Each picker's state: the person chosen, or the persons offered with the choice made."""
    states: dict[str, PickerState] = {}
    for prefix in form.pickers():
        key = f"{prefix}_existing"
        value = form.data.get(key) if form.is_bound else form.initial.get(key)
        offer = form.offers.get(prefix)
        person = None
        if value and str(value) != NEW:
            person = _visible_person(request.user, value)
        if offer is not None and (
            person is None or any(s.person.pk == person.pk for s in offer.suggestions)
        ):
            checked = str(person.pk) if person else (NEW if value == NEW else offer.checked)
            states[prefix] = PickerState(offer=offer, checked=checked)
        elif person is not None:
            states[prefix] = PickerState(person=person)
    return states


def _trial_initial(user: User, person: Person) -> dict[str, Any]:
    """A trial form started from a profile: the person's recorded arrest, court and judge."""
    known = known_for_trial(user, person)
    initial: dict[str, Any] = {}
    if known.arrest is not None and known.arrest.date is not None:
        a = known.arrest
        initial["arrest_date"] = format_date_input(DateInput(a.date, a.date_precision, a.date_end))
    if known.court is not None:
        initial["court"] = known.court.display_name
    if known.judge is not None:
        initial["judge_existing"] = known.judge.pk
        initial["judge_role"] = known.judge_role
    return initial


def _arrests_chosen_from(request: SignedInRequest, form: EntryForm) -> list[Act]:
    """The recorded arrests offered again when a page with an arrest choice comes back."""
    if not form.is_bound or not form.data.get("arrest_choice"):
        return []
    victim = _visible_person(request.user, form.data.get("victim_existing"))
    return recorded_arrests(request.user, victim) if victim is not None else []


def _mark_picked_sources(request: HttpRequest, sources: Any) -> None:
    """Remember on each source form the recorded source it cites, to show it checked again."""
    for f in sources.forms:
        f.picked_source = None
        value = sources.data.get(f"{f.prefix}-existing") if sources.is_bound else None
        if value:
            try:
                found = restrict(request.user, "view", Source.objects.filter(pk=value)).first()
            except (ValueError, TypeError, DjangoValidationError):  # a malformed id
                found = None
            f.picked_source = found


def _record(
    request: SignedInRequest,
    form_class: type[ArrestForm] | type[TrialForm],
    service: Callable[[Any, Any], Recorded],
    template: str,
) -> HttpResponse:
    _require_recorder(request)
    arrests: list[Act] = []
    if request.method == "POST":
        form = form_class(request.POST, user=request.user)
        sources = SourceFormSet(request.POST, prefix="sources")
        if form.is_valid() and sources.is_valid():
            try:
                recorded = service(request.user, form.to_input(source_inputs(sources)))
            except ArrestChoiceNeeded as error:
                arrests = error.arrests
                form.add_error("arrest_date", error.message)
            except EntryError as error:
                show_error(form, sources, error.field, error.message)
            except Forbidden:
                raise PermissionDenied from None
            except VigilError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Saved: %(title)s (%(n)d records).")
                    % {"title": recorded.event.title, "n": len(recorded.created)},
                )
                return redirect("web:person", recorded.victim.pk)
    else:
        initial: dict[str, Any] = {}
        person = _visible_person(request.user, request.GET.get("person", ""))
        if person is not None:
            initial["victim_existing"] = person.pk
            if form_class is TrialForm:
                initial.update(_trial_initial(request.user, person))
        form = form_class(user=request.user, initial=initial)
        sources = SourceFormSet(prefix="sources")
    _mark_picked_sources(request, sources)
    context = {
        "form": form,
        "sources": sources,
        "pickers": _pickers(request, form),
        "arrest_choices": arrests or _arrests_chosen_from(request, form),
        "regimes": term_options("detention_regime"),
        "source_types": term_options("source_type"),
        "reliabilities": term_options("source_reliability"),
        "provisions": provision_options(),
    }
    return render(request, template, context)


@login_required
@require_GET
def index(request: SignedInRequest) -> HttpResponse:
    """What can be recorded here."""
    _require_recorder(request)
    return render(request, "entry/index.html")


@login_required
@require_http_methods(["GET", "POST"])
def arrest(request: SignedInRequest) -> HttpResponse:
    """Record an arrest in one form."""
    return _record(request, ArrestForm, record_arrest, "entry/arrest.html")


@login_required
@require_http_methods(["GET", "POST"])
def trial(request: SignedInRequest) -> HttpResponse:
    """Record a trial and its sentence in one form."""
    return _record(request, TrialForm, record_trial, "entry/trial.html")


def _person_page(
    request: HttpRequest, form: PersonForm, names: Any, person: Person | None
) -> HttpResponse:
    if person is not None:  # a person is not their own duplicate
        for f in [*names.forms, names.empty_form]:
            attrs = suggest_attrs("person", "[name$='-value']", exclude=str(person.pk))
            f.fields["value"].widget.attrs.update(attrs)
    return render(request, "entry/person.html", {"form": form, "names": names, "person": person})


@login_required
@require_http_methods(["GET", "POST"])
def person_new(request: SignedInRequest) -> HttpResponse:
    """A new person with names in several scripts."""
    _require_recorder(request)
    form = PersonForm(request.POST or None, user=request.user)
    names = NameFormSet(request.POST or None, prefix="names")
    if request.method == "POST" and form.is_valid() and names.is_valid():
        try:
            person = create_person(request.user, form.to_input(names))
        except EntryError as error:
            show_error(form, None, error.field, error.message)
        except Forbidden:
            raise PermissionDenied from None
        else:
            messages.success(request, _("Saved."))
            return redirect("web:person", person.pk)
    return _person_page(request, form, names, None)


def _person_initial(user: User, person: Person) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    birth = DateInput(person.birth_date, person.birth_date_precision) if person.birth_date else None
    initial = {
        "display_name": person.display_name,
        "sex": person.sex,
        "birth_date": format_date_input(birth),
        "birth_place": person.birth_place,
        "nationality": person.nationality,
        "notes": person.notes,
        "confidentiality": person.confidentiality,
        "version": person.version,
    }
    names = [
        {
            "id": n.pk,
            "value": n.value,
            "script": n.script,
            "lang": n.lang,
            "kind": n.kind,
            "scheme": n.scheme,
            "is_primary": n.is_primary,
        }
        for n in restrict(user, "view", person.names.all())
    ]
    return initial, names


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: SignedInRequest, pk: Any) -> HttpResponse:
    """Change a person and their names; a stale form is refused, never silently applied."""
    person = visible_or_404(request.user, Person.objects.all(), pk)
    if not allows(request.user, "change", person):
        raise PermissionDenied
    initial, name_rows = _person_initial(request.user, person)
    if request.method == "POST":
        form = PersonForm(request.POST, user=request.user, initial=initial)
        names = NameFormSet(request.POST, prefix="names", initial=name_rows)
        if form.is_valid() and names.is_valid():
            version = form.cleaned_data.get("version") or person.version
            try:
                update_person(request.user, person.pk, form.to_input(names), version=version)
            except EntryError as error:
                show_error(form, None, error.field, error.message)
            except Forbidden:
                raise PermissionDenied from None
            except VigilError as error:  # a conflict: someone saved in between
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Saved."))
                return redirect("web:person", person.pk)
    else:
        form = PersonForm(user=request.user, initial=initial)
        names = NameFormSet(prefix="names", initial=name_rows)
    return _person_page(request, form, names, person)


def _typed_names(request: HttpRequest, field: str) -> list[str]:
    """The names typed in the inputs of one picker (or of the person form's name rows)."""
    values: list[str] = []
    for key, value in request.GET.items():
        if not isinstance(value, str):  # never: items() gives each key's last value
            continue
        if key == f"{field}_name" or key.startswith(f"{field}_name_"):
            values.append(value)
        elif field == "person" and key.startswith("names-") and key.endswith("-value"):
            values.append(value)
    return [v for v in values if v.strip()][:5]


@login_required
@require_GET
def suggest_person(request: SignedInRequest) -> HttpResponse:
    """The duplicate warning: persons the user may view whose names are like those typed."""
    field = request.GET.get("field", "person")
    if field not in (*PICKERS, "person"):
        raise Http404
    names = _typed_names(request, field)
    offer = offer_for(request.user, field, names, exclude=request.GET.get("exclude"))
    context = {
        "suggestions": offer.suggestions,
        "rows": offer.rows,
        "checked": offer.checked,
        "field": field,
        "pick": field != "person",
    }
    return render(request, "entry/_suggestions.html", context)


@login_required
@require_GET
def suggest_source(request: SignedInRequest) -> HttpResponse:
    """Recorded sources the user may view whose title or address contains what was typed."""
    field = request.GET.get("field", "")
    if not _SOURCE_FIELD.fullmatch(field):
        raise Http404
    found = find_sources(request.user, request.GET.get(f"{field}-search", ""))
    return render(request, "entry/_source_choices.html", {"found": found, "field": field})


def _query(request: HttpRequest) -> str:
    """What was typed in the picker (htmx sends the input under its own name)."""
    if "q" in request.GET:
        return request.GET["q"]
    return next((v for v in request.GET.values() if isinstance(v, str) and v.strip()), "")


@login_required
@require_GET
def terms(request: HttpRequest, vocabulary: str) -> HttpResponse:
    """Options of a vocabulary picker, labelled in the user's language."""
    if vocabulary not in PICKABLE:
        raise Http404
    options = term_options(vocabulary, _query(request))
    return render(request, "entry/_options.html", {"options": options, "use_label": True})


@login_required
@require_GET
def provisions(request: HttpRequest) -> HttpResponse:
    """Options of the legal provisions picker."""
    options = provision_options(_query(request))
    return render(request, "entry/_options.html", {"options": options})
