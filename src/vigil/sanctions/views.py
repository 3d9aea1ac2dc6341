"""Sanctions pages: the gap report (HTML, CSV, PDF) and the review of screening candidates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from vigil.core.replica import replica_view
from vigil.policy.access import allows
from vigil.sanctions import reports, review
from vigil.sanctions.gap import gap_report
from vigil.sanctions.models import Decision
from vigil.sanctions.screening import decide, undo_decision

if TYPE_CHECKING:
    from vigil.accounts.types import SignedInRequest

DECISIONS = (Decision.CONFIRMED, Decision.REJECTED)


@login_required
@replica_view
def gap_page(request: SignedInRequest) -> HttpResponse:
    report = gap_report(request.user)
    pending = review.pending_count(request.user)
    return render(request, "sanctions/gap_page.html", {"report": report, "pending": pending})


@login_required
@replica_view
def gap_download(request: SignedInRequest, fmt: str) -> HttpResponse:
    report = gap_report(request.user)
    if fmt == "csv":
        response = HttpResponse(reports.gap_csv(report), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(reports.gap_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sanctions-gap.{fmt}"'
    return response


@login_required
def review_page(request: SignedInRequest) -> HttpResponse:
    """The queue, a page at a time; ``?match=<id>`` (the gap page's links) opens the page
    that shows that candidate."""
    wanted = request.GET.get("match")
    if wanted:
        try:
            number = review.page_of_pending(request.user, wanted)
        except (ValidationError, ValueError):
            number = None
        if number is None:
            messages.info(request, gettext("That candidate no longer awaits review."))
            return redirect("sanctions:review")
        return redirect(f"{reverse('sanctions:review')}?page={number}#match-{wanted}")
    queue = review.pending_page(request.user, request.GET.get("page"))
    return render(
        request,
        "sanctions/review.html",
        {
            "candidates": queue.candidates,
            "page": queue.page,
            "pending": queue.page.paginator.count,
            "decided": review.recent_decisions(request.user),
        },
    )


def _candidate(request: SignedInRequest, pk: str) -> review.Candidate:
    found = review.candidate(request.user, pk)
    if found is None:
        raise Http404
    return found


@login_required
def review_decide(request: SignedInRequest, pk: str) -> HttpResponse:
    """GET: the confirmation step; POST with ``confirm``: the decision, recorded and audited."""
    found = _candidate(request, pk)
    decision = request.POST.get("decision") or request.GET.get("decision", "")
    if decision not in DECISIONS:
        messages.error(request, gettext("Choose “same person” or “different person”."))
        return redirect("sanctions:review")
    if not allows(request.user, "change", found.match):
        return render(request, "errors/403.html", status=403)
    if found.match.decision != Decision.PENDING:
        messages.error(request, gettext("This candidate was decided already; undo it first."))
        return redirect("sanctions:review")
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        decide(found.match, decision, user=request.user, note=request.POST.get("note", "")[:1000])
        messages.success(
            request,
            gettext("Recorded: %(person)s — %(decision)s.")
            % {
                "person": found.record.display_name,
                "decision": found.match.get_decision_display(),
            },
        )
        return redirect("sanctions:review")
    return render(
        request,
        "sanctions/review_confirm.html",
        {"c": found, "decision": decision, "note": request.POST.get("note", "")[:1000]},
    )


@login_required
@require_POST
def review_undo(request: SignedInRequest, pk: str) -> HttpResponse:
    """Take back a decision: the candidate awaits review again (history and audit keep both)."""
    found = _candidate(request, pk)
    if not allows(request.user, "change", found.match):
        return render(request, "errors/403.html", status=403)
    if found.match.decision == Decision.PENDING:
        messages.error(request, gettext("This candidate awaits review: nothing to undo."))
        return redirect("sanctions:review")
    undo_decision(found.match, user=request.user)
    messages.success(
        request,
        gettext("Decision undone: %(person)s awaits review again.")
        % {"person": found.record.display_name},
    )
    # Back to the page that shows it again, wherever its score puts it in the queue.
    return redirect(f"{reverse('sanctions:review')}?match={found.match.pk}")
