"""Thin views: parse the request, call one service, render — always for the signed-in user."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from vigil.core.errors import Forbidden, NotFound
from vigil.core.replica import replica_view
from vigil.records.checks import KINDS, check_kind, may_check, require_checker
from vigil.records.glossary import FIGURES
from vigil.records.models import Person
from vigil.records.visible import visible
from vigil.web.profile import person_page, successor_of
from vigil.web.summary import home_summary

if TYPE_CHECKING:
    from vigil.accounts.types import SignedInRequest


@login_required
def home(request: SignedInRequest) -> HttpResponse:
    """Counts of the visible record, stored estimates, recent changes and the search box."""
    from vigil.reports.coverage import Coverage
    from vigil.reports.howmany import stored_estimates

    context = {
        "summary": home_summary(request.user),
        "estimates": stored_estimates(Coverage(request.user)),
        "may_check": may_check(request.user),
    }
    return render(request, "vigil/home.html", context)


@login_required
def person_detail(request: SignedInRequest, pk: str) -> HttpResponse:
    """One person: names, identifiers, custody, timeline, perpetrator record, history."""
    person = visible(request.user, Person.objects.filter(pk=pk)).first()
    if person is None:
        # Links to a merged duplicate lead to the person it was merged into.
        successor = successor_of(request.user, pk)
        if successor is None:
            raise Http404
        return redirect("web:person", successor)
    return render(request, "vigil/person.html", person_page(request.user, person))


@login_required
@replica_view
def how_many(request: SignedInRequest) -> HttpResponse:
    """Per category: the documented count, the stored estimate with its interval, the lists'
    overlap, the assumptions and the command that reproduces it."""
    from vigil.counting.link_runs import visible_runs
    from vigil.counting.stored_lists import visible_lists
    from vigil.reports.coverage import Coverage
    from vigil.reports.howmany import ASSUMPTIONS
    from vigil.reports.howmany import how_many as sections

    context = {
        "sections": sections(Coverage(request.user)),
        "assumptions": ASSUMPTIONS,
        # Start from stored lists: choose lists → link → review → estimate (stored).
        "stored_lists": list(visible_lists(request.user).order_by("name", "-as_of")),
        "link_runs": list(visible_runs(request.user).prefetch_related("lists")[:5]),
    }
    return render(request, "vigil/how_many.html", context)


@login_required
def glossary(request: HttpRequest) -> HttpResponse:
    """The definition of each figure and the function that computes it."""
    return render(request, "vigil/glossary.html", {"figures": FIGURES})


SHOWN = 200  # findings of one kind shown on the page; `vigil check-record` lists them all


@login_required
@replica_view
def record_checks(request: SignedInRequest) -> HttpResponse:
    """What in the record needs a human (admins, coordinators): each kind loads on its own."""
    try:
        require_checker(request.user, "web:checks")
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    return render(request, "vigil/checks.html", {"kinds": list(KINDS.items())})


@login_required
@replica_view
def record_check_kind(request: SignedInRequest, kind: str) -> HttpResponse:
    """The findings of one kind, as ``vigil check-record`` lists them."""
    try:
        findings = check_kind(request.user, kind, route="web:check_kind")
    except NotFound:
        raise Http404 from None
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    context = {"kind": kind, "label": KINDS[kind], "findings": findings, "shown": SHOWN}
    return render(request, "vigil/check_kind.html", context)
