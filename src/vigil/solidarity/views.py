"""Thin views of trial monitoring, campaigns and the calendar: parse, call a service, render."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from vigil.core.errors import Forbidden, NotFound, ValidationFailed
from vigil.outputs.delivery import send_drawn_file
from vigil.policy.access import reference_allows, restrict
from vigil.records.entry import may_record
from vigil.records.models import Case, Organisation, Person
from vigil.records.visible import visible_one, visible_or_404
from vigil.solidarity import calendar, feed, international, monitoring, statements
from vigil.solidarity.forms import (
    AssignForm,
    EditionForm,
    HearingForm,
    InternationalDateForm,
    ReportForm,
    StatementForm,
    ids,
)
from vigil.solidarity.models import Hearing, Statement
from vigil.solidarity.options import (
    MIN_TYPED,
    cases_of,
    find_cases,
    find_officials,
    find_organisations,
    has_cases,
    visible_choices,
)
from vigil.solidarity.report import drawn_on, monitoring_file

if TYPE_CHECKING:
    from vigil.accounts.types import SignedInRequest, User

REPORT_ROUTE = "solidarity:report"


# --- trial monitoring ----------------------------------------------------------------------


@login_required
def hearing_list(request: SignedInRequest) -> HttpResponse:
    """Upcoming hearings first, then the latest past ones; the form to add one."""
    today = dt.date.today()
    seen = monitoring.hearings(request.user)
    context = {
        "upcoming": list(seen.filter(date__gte=today)[:200]),
        "past": list(seen.filter(date__lt=today).order_by("-date")[:50]),
    }
    return render(request, "solidarity/hearings.html", context)


@login_required
def hearing_new(request: SignedInRequest) -> HttpResponse:
    """Record a hearing of a case the user may see; ``?case=`` preselects the case."""
    user = request.user
    initial = {"case": request.GET.get("case", "")}
    form = HearingForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            hearing = monitoring.add_hearing(
                user,
                monitoring.HearingInput(
                    case=d["case"],
                    date=d["date"],
                    time=d["time"],
                    kind=d["kind"],
                    court=d["court"] or None,
                    court_text=d["court_text"],
                    judge=d["judge"],
                    prosecutor=d["prosecutor"],
                    appeal_deadline=d["appeal_deadline"],
                    notes=d["notes"],
                ),
            )
        except (ValidationFailed, Forbidden) as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The hearing is recorded."))
            return HttpResponseRedirect(reverse("solidarity:hearing", args=[hearing.pk]))
    context = {
        "form": form,
        "chosen": form.chosen(),
        "has_cases": has_cases(user),
        "may_record": may_record(user),
    }
    return render(request, "solidarity/hearing_form.html", context)


@login_required
@require_GET
def case_choices(request: SignedInRequest, field: str) -> HttpResponse:
    """Cases the user may view whose title (or a person's name in them) is like the one typed,
    as radio buttons (``case``: the hearing form) or checkboxes (``cases``: a statement)."""
    typed = request.GET.get(f"{field}_search", "").strip()[:200]
    context = {
        "found": find_cases(request.user, typed),
        "typed": typed,
        "looked": len(typed) >= MIN_TYPED,
        "field": field,
        "kind": "case",
        "multiple": field == "cases",
        "may_record": may_record(request.user),
    }
    return render(request, "solidarity/_choices.html", context)


@login_required
@require_GET
def official_choices(request: SignedInRequest, role: str) -> HttpResponse:
    """Judges (or prosecutors) the user may view whose name in any spelling is the one typed,
    as radio buttons."""
    typed = request.GET.get(f"{role}_search", "").strip()[:200]
    context = {
        "found": find_officials(request.user, typed, role),
        "typed": typed,
        "looked": len(typed) >= MIN_TYPED,
        "field": role,
        "kind": role,
    }
    return render(request, "solidarity/_choices.html", context)


def _hearing(request: SignedInRequest, pk: Any) -> Hearing:
    qs = Hearing.objects.select_related("case", "court", "judge", "prosecutor")
    return visible_or_404(request.user, qs, pk)


def _hearing_page(request: SignedInRequest, hearing: Hearing, **forms: Any) -> HttpResponse:
    user = request.user
    items = monitoring.checklist_items()
    labels = {t.key: t.label() for t in items}
    found = monitoring.reports(user, hearing)
    rows = [
        {
            "report": r,
            "answers": [(labels[t.key], r.answers[t.key]) for t in items if t.key in r.answers],
        }
        for r in found
    ]
    context = {
        "hearing": hearing,
        "judge": _seen(user, hearing.judge),
        "prosecutor": _seen(user, hearing.prosecutor),
        "assignments": monitoring.observers(user, hearing),
        "reports": rows,
        "assign_form": forms.get("assign_form")
        or AssignForm(users=monitoring.assignable_observers(user)),
        "report_form": forms.get("report_form") or ReportForm(items=items),
    }
    return render(request, "solidarity/hearing.html", context)


def _seen(user: User, person: Person | None) -> Person | None:
    return None if person is None else visible_one(user, Person.objects, person.pk)


@login_required
def hearing_detail(request: SignedInRequest, pk: Any) -> HttpResponse:
    """One hearing: its court, judge, prosecutor, observers and observation reports."""
    return _hearing_page(request, _hearing(request, pk))


@require_POST
@login_required
def hearing_assign(request: SignedInRequest, pk: Any) -> HttpResponse:
    """Assign an observer to the hearing."""
    hearing = _hearing(request, pk)
    form = AssignForm(request.POST, users=monitoring.assignable_observers(request.user))
    if form.is_valid():
        try:
            monitoring.assign_observer(request.user, hearing, form.cleaned_data["observer"])
        except (ValidationFailed, Forbidden) as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The observer is assigned."))
            return HttpResponseRedirect(reverse("solidarity:hearing", args=[hearing.pk]))
    return _hearing_page(request, hearing, assign_form=form)


@require_POST
@login_required
def hearing_report(request: SignedInRequest, pk: Any) -> HttpResponse:
    """File the signed-in observer's report of the hearing."""
    hearing = _hearing(request, pk)
    form = ReportForm(request.POST, items=monitoring.checklist_items())
    if form.is_valid():
        d = form.cleaned_data
        try:
            monitoring.file_report(
                request.user,
                hearing,
                monitoring.ReportInput(
                    access=d["access"],
                    answers=form.answers(),
                    duration_minutes=d["duration_minutes"],
                    motions_refused=d["motions_refused"],
                    notes=d["notes"],
                ),
            )
        except (ValidationFailed, Forbidden) as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The observation report is filed."))
            return HttpResponseRedirect(reverse("solidarity:hearing", args=[hearing.pk]))
    return _hearing_page(request, hearing, report_form=form)


@require_GET
@login_required
def monitoring_report(request: SignedInRequest, pk: Any, fmt: str) -> HttpResponse:
    """The monitoring report of a case as DOCX or PDF: an export, through the policy."""
    user = request.user
    case = visible_or_404(user, Case.objects.all(), pk)
    return send_drawn_file(
        request,
        case,
        drawn_on(case),
        lambda: monitoring_file(user, case, fmt),
        route=REPORT_ROUTE,
        refused=_("This report draws on records you may not export."),
    )


# --- solidarity campaigns ------------------------------------------------------------------


@login_required
def statement_list(request: SignedInRequest) -> HttpResponse:
    """Statements and letters the user may see; the Day of the Endangered Lawyer editions."""
    context = {
        "statements": list(statements.statements(request.user)[:200]),
        "editions": statements.editions(),
        "edition_form": EditionForm(),
        "may_add_edition": reference_allows(request.user, "add"),
    }
    return render(request, "solidarity/statements.html", context)


@login_required
def statement_new(request: SignedInRequest) -> HttpResponse:
    """Record a statement; ``?person=`` and ``?case=`` preselect what it concerns."""
    user = request.user
    source = request.POST if request.method == "POST" else request.GET
    chosen = _uuids(source.getlist("persons" if request.method == "POST" else "person"))
    persons = list(restrict(user, "view", Person.objects.filter(pk__in=chosen)))
    form = StatementForm(request.POST or None)
    picked = source.getlist("cases" if request.method == "POST" else "case")
    cases = visible_choices(user, Case, _uuids(picked))
    offered = [c for c in cases_of(user, persons) if c not in cases]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            statement = statements.add_statement(
                user,
                statements.StatementInput(
                    title=d["title"],
                    kind=d["kind"],
                    date=d["date"],
                    author=d["author"],
                    author_text=d["author_text"],
                    url=d["url"],
                    summary=d["summary"],
                    edition_year=d["edition_year"],
                    followed=d["followed"],
                    followed_date=d["followed_date"],
                    persons=chosen,
                    cases=_uuids(d["cases"]),
                    signatories=d["signatories"].splitlines(),
                    confidentiality=d["confidentiality"],
                ),
            )
        except (ValidationFailed, Forbidden) as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The statement is recorded."))
            return HttpResponseRedirect(reverse("solidarity:statement", args=[statement.pk]))
    author = None
    if form.is_bound and form.is_valid() and form.cleaned_data["author"]:
        author = restrict(user, "view", Organisation.objects.filter(pk=form.cleaned_data["author"]))
        author = author.first()
    context = {
        "form": form,
        "persons": persons,
        "author": author,
        "cases": cases,
        "offered": offered,
    }
    return render(request, "solidarity/statement_form.html", context)


@login_required
@require_GET
def organisation_choices(request: SignedInRequest) -> HttpResponse:
    """Organisations the user may see whose name is like the one typed, as radio buttons."""
    typed = request.GET.get("author_search", "").strip()[:200]
    found = find_organisations(request.user, typed) if typed else []
    context = {"found": found, "typed": typed}
    return render(request, "solidarity/_organisation_choices.html", context)


def _uuids(values: list[str]) -> list[str]:
    """The ids among ``values`` (each may hold several, separated by commas or spaces); a value
    that is not an id matches nothing, so the service refuses it."""
    import uuid

    out = []
    for part in (p for value in values for p in ids(value or "")):
        try:
            out.append(str(uuid.UUID(part)))
        except ValueError:
            out.append("00000000-0000-0000-0000-000000000000")  # matches nothing: refused
    return out


@login_required
def statement_detail(request: SignedInRequest, pk: Any) -> HttpResponse:
    """One statement: by whom, signatories, the persons and cases it concerns, what followed."""
    qs = Statement.objects.select_related("author", "edition")
    statement = visible_or_404(request.user, qs, pk)
    persons, cases = statements.concerned(request.user, statement)
    author = None
    if statement.author_id:
        from vigil.records.models import Organisation

        author = restrict(
            request.user, "view", Organisation.objects.filter(pk=statement.author_id)
        ).first()
    context = {
        "statement": statement,
        "author": author,
        "signatories": statements.signatories(request.user, statement),
        "persons": persons,
        "cases": cases,
    }
    return render(request, "solidarity/statement.html", context)


@require_POST
@login_required
def edition_add(request: SignedInRequest) -> HttpResponse:
    """Record (or correct) a Day of the Endangered Lawyer edition."""
    form = EditionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            statements.add_edition(request.user, d["year"], d["focus_country"], d["theme"])
        except (ValidationFailed, Forbidden) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The edition is recorded."))
    else:
        messages.error(request, _("Give a year and a two-letter country code."))
    return HttpResponseRedirect(reverse("solidarity:statements"))


# --- calendar ------------------------------------------------------------------------------


@login_required
def calendar_page(request: SignedInRequest) -> HttpResponse:
    """What is due in the coming days, and the user's feed address."""
    try:
        days = int(request.GET.get("days", calendar.DEFAULT_DAYS))
    except ValueError:
        days = calendar.DEFAULT_DAYS
    start, end = calendar.window(None, days)
    context = {
        "items": calendar.items(request.user, start, end),
        "start": start,
        "end": end,
        "days": (end - start).days,
        "token": request.session.pop("calendar_token", None),
        "active": feed.active(request.user),
        "may_edit_dates": international.may_edit(request.user),
        "date_form": InternationalDateForm(),
        "international_dates": international.upcoming(start, end),
    }
    return render(request, "solidarity/calendar.html", context)


@require_POST
@login_required
def international_date_add(request: SignedInRequest) -> HttpResponse:
    """Add a UN session or deadline (admins and coordinators)."""
    form = InternationalDateForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            international.add_date(request.user, d["date"], d["kind"], d["title"], d["url"])
        except (ValidationFailed, Forbidden) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The date is on the calendar."))
    else:
        messages.error(request, _("Give a date, a kind and a title; a link must be a web address."))
    return HttpResponseRedirect(reverse("solidarity:calendar"))


@require_POST
@login_required
def international_date_remove(request: SignedInRequest) -> HttpResponse:
    """Remove the international date ``id`` (admins and coordinators)."""
    try:
        international.remove_date(request.user, request.POST.get("id", ""))
    except (NotFound, Forbidden) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The date is removed from the calendar."))
    return HttpResponseRedirect(reverse("solidarity:calendar"))


@require_POST
@login_required
def calendar_token(request: SignedInRequest) -> HttpResponse:
    """Issue a new feed address (revoking the old one), or revoke it with ``revoke``."""
    if request.POST.get("revoke"):
        feed.revoke(request.user)
        messages.success(request, _("The calendar feed address is revoked."))
    else:
        request.session["calendar_token"] = feed.issue(request.user)
    return HttpResponseRedirect(reverse("solidarity:calendar"))


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed of the token's user; an unknown or revoked token is a 404."""
    user = feed.user_for(token)
    if user is None:
        raise Http404
    response = HttpResponse(feed.ics(user), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "no-store"
    response["Content-Disposition"] = 'inline; filename="vigil.ics"'
    return response
