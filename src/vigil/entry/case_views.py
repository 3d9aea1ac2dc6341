"""The case form pages: create and edit a case, and find persons to add while typing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from vigil.core.errors import Forbidden, VigilError
from vigil.entry.case_forms import CaseForm
from vigil.entry.forms import show_error
from vigil.entry.suggest import suggest_persons
from vigil.policy.access import allows, restrict
from vigil.records.entry import EntryError, create_case, may_record, update_case
from vigil.records.models import Case, Event, Person
from vigil.records.visible import visible_or_404

if TYPE_CHECKING:
    from vigil.accounts.types import SignedInRequest, User


def _visible(user: User, model: type[Person] | type[Event], ids: list[str]) -> list[Any]:
    """The records of ``ids`` the user may view, in the order given (malformed ids: none)."""
    found: dict[str, Any] = {}
    for pk in dict.fromkeys(ids):
        try:
            obj = restrict(user, "view", model.objects.filter(pk=pk)).first()
        except (ValueError, TypeError, DjangoValidationError):
            obj = None
        if obj is not None:
            found[str(obj.pk)] = obj
    return list(found.values())


def _offered_events(user: User, persons: list[Person], chosen: list[Event]) -> list[Event]:
    """The chosen events, then the visible events of the chosen persons' acts."""
    events = {e.pk: e for e in chosen}
    if persons:
        theirs = restrict(
            user, "view", Event.objects.filter(acts__victim_person__in=persons).distinct()
        ).order_by("date", "title")[:100]
        for e in theirs:
            events.setdefault(e.pk, e)
    return list(events.values())


def _page(
    request: SignedInRequest,
    form: CaseForm,
    case: Case | None,
    persons: list[Person],
    events: list[Event],
    checked_events: set[Any],
) -> HttpResponse:
    context = {
        "form": form,
        "case": case,
        "persons": persons,
        "events": _offered_events(request.user, persons, events),
        "checked_events": {str(pk) for pk in checked_events},
    }
    return render(request, "entry/case.html", context)


def _save(
    request: SignedInRequest, form: CaseForm, case: Case | None
) -> tuple[Case | None, list[Person], list[Event]]:
    persons = _visible(request.user, Person, request.POST.getlist("persons"))
    events = _visible(request.user, Event, request.POST.getlist("events"))
    if not form.is_valid():
        return None, persons, events
    data = form.to_input([str(p.pk) for p in persons], [str(e.pk) for e in events])
    try:
        if case is None:
            return create_case(request.user, data), persons, events
        version = form.cleaned_data.get("version") or case.version
        return update_case(request.user, case.pk, data, version=version), persons, events
    except EntryError as error:
        show_error(form, None, error.field, error.message)
    except Forbidden:
        raise PermissionDenied from None
    except VigilError as error:  # a conflict: someone saved in between
        form.add_error(None, error.message)
    return None, persons, events


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: SignedInRequest) -> HttpResponse:
    """A new case; from a profile (``?person=``) that person and their events are chosen."""
    if not may_record(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = CaseForm(request.POST, user=request.user)
        saved, persons, events = _save(request, form, None)
        if saved is not None:
            messages.success(request, _("Saved: %(title)s.") % {"title": saved.title})
            return redirect("web:case", saved.pk)
        return _page(request, form, None, persons, events, {e.pk for e in events})
    persons = _visible(request.user, Person, request.GET.getlist("person")[:5])
    initial = {"title": _("Case of %(name)s") % {"name": persons[0]}} if persons else {}
    form = CaseForm(user=request.user, initial=initial)
    offered = _offered_events(request.user, persons, [])
    return _page(request, form, None, persons, [], {e.pk for e in offered})


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: SignedInRequest, pk: Any) -> HttpResponse:
    """Change a case; a stale form is refused, never silently applied."""
    case = visible_or_404(request.user, Case.objects.all(), pk)
    if not allows(request.user, "change", case):
        raise PermissionDenied
    if request.method == "POST":
        form = CaseForm(request.POST, user=request.user)
        saved, persons, events = _save(request, form, case)
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect("web:case", saved.pk)
        return _page(request, form, case, persons, events, {e.pk for e in events})
    initial = {
        "title": case.title,
        "status": case.status,
        "description": case.description,
        "confidentiality": case.confidentiality,
        "version": case.version,
    }
    form = CaseForm(user=request.user, initial=initial)
    persons = list(restrict(request.user, "view", case.persons.all()).order_by("display_name"))
    events = list(restrict(request.user, "view", case.events.all()).order_by("date", "title"))
    return _page(request, form, case, persons, events, {e.pk for e in events})


@login_required
@require_GET
def case_persons(request: SignedInRequest) -> HttpResponse:
    """Persons the user may view whose names are like the one typed, offered as checkboxes."""
    typed = request.GET.get("add_person", "").strip()[:300]
    found = [s.person for s in suggest_persons(request.user, typed)][:8] if typed else []
    return render(request, "entry/_case_person_choices.html", {"found": found, "typed": typed})
