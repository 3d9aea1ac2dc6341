"""Thin views: parse the request, call one service, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from vigil.records.models import Person
from vigil.records.stats import record_stats
from vigil.records.timeline import timeline_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "vigil/home.html", {"stats": record_stats()})


@login_required
def person_detail(request: HttpRequest, pk: str) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk)
    return render(
        request, "vigil/person.html", {"person": person, "timeline": timeline_for(person)}
    )
