"""Detail pages of organisations, events, cases and perpetrators: a hidden record is a 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from vigil.policy.access import allows
from vigil.records.entry import may_record
from vigil.records.models import Case, Event, Organisation, Person
from vigil.records.visible import visible_or_404
from vigil.web.pages import case_page, event_page, organisation_page, perpetrator_page

if TYPE_CHECKING:
    from vigil.accounts.types import SignedInRequest


@login_required
def organisation_detail(request: SignedInRequest, pk: str) -> HttpResponse:
    """One organisation: names, acts against it, acts held there, acts it took part in."""
    org = visible_or_404(request.user, Organisation.objects.select_related("kind"), pk)
    return render(request, "vigil/organisation.html", {"d": organisation_page(request.user, org)})


@login_required
def event_detail(request: SignedInRequest, pk: str) -> HttpResponse:
    """One event: its acts with involvements, counsel and charges, its sources."""
    event = visible_or_404(request.user, Event.objects.all(), pk)
    return render(request, "vigil/event.html", {"d": event_page(request.user, event)})


@login_required
def case_detail(request: SignedInRequest, pk: str) -> HttpResponse:
    """One case: persons, events and their acts."""
    case = visible_or_404(request.user, Case.objects.all(), pk)
    context = {
        "d": case_page(request.user, case),
        "may_change": allows(request.user, "change", case),
        "may_record": may_record(request.user),
    }
    return render(request, "vigil/case.html", context)


@login_required
def perpetrator_detail(request: SignedInRequest, pk: str) -> HttpResponse:
    """A perpetrator page: every visible act they took part in, victims, sentences, courts."""
    person = visible_or_404(request.user, Person.objects.all(), pk)
    return render(
        request, "vigil/perpetrator.html", {"d": perpetrator_page(request.user, person)}
    )
