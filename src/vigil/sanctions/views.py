"""Sanctions pages: the gap report (HTML, CSV, PDF) and the review of screening candidates."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from vigil.policy.access import allows, restrict
from vigil.sanctions import reports
from vigil.sanctions.gap import gap_report
from vigil.sanctions.models import Decision, ScreeningMatch
from vigil.sanctions.screening import decide


@login_required
def gap_page(request: HttpRequest) -> HttpResponse:
    report = gap_report(request.user)
    pending = restrict(
        request.user,
        "view",
        ScreeningMatch.objects.filter(decision=Decision.PENDING, person__isnull=False),
    ).count()
    return render(request, "sanctions/gap_page.html", {"report": report, "pending": pending})


@login_required
def gap_download(request: HttpRequest, fmt: str) -> HttpResponse:
    report = gap_report(request.user)
    if fmt == "csv":
        response = HttpResponse(reports.gap_csv(report), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(reports.gap_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sanctions-gap.{fmt}"'
    return response


@login_required
def review_page(request: HttpRequest) -> HttpResponse:
    matches = (
        restrict(request.user, "view", ScreeningMatch.objects.filter(person__isnull=False))
        .filter(decision=Decision.PENDING)
        .select_related("person", "listed_entity", "listed_entity__sanctions_list")
        .order_by("-score")[:200]
    )
    return render(request, "sanctions/review.html", {"matches": matches})


@login_required
@require_POST
def review_decide(request: HttpRequest, pk: str) -> HttpResponse:
    match = get_object_or_404(restrict(request.user, "view", ScreeningMatch.objects.all()), pk=pk)
    decision = request.POST.get("decision", "")
    if decision not in {Decision.CONFIRMED, Decision.REJECTED} or not allows(
        request.user, "change", match
    ):
        return (
            HttpResponseNotAllowed(["POST"])
            if not decision
            else render(request, "errors/403.html", status=403)
        )
    decide(match, decision, user=request.user, note=request.POST.get("note", "")[:1000])
    return redirect("sanctions:review")
