"""Thin views of the response pages: parse the request, call one service, render."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from vigil.core.errors import VigilError
from vigil.core.replica import replica_view
from vigil.policy.access import allows
from vigil.records.models import Act, Intervention, Person
from vigil.records.visible import visible, visible_or_404
from vigil.responses import coding, forums, gap, pages
from vigil.responses.models import ViolationCoding
from vigil.responses.standards import SUMMARY_NOTICE

if TYPE_CHECKING:
    from vigil.accounts.types import SignedInRequest

CODERS = {"admin", "coordinator", "analyst"}


def _may_code(request: HttpRequest) -> bool:
    return getattr(request.user, "role", None) in CODERS


@login_required
def intervention_list(request: SignedInRequest) -> HttpResponse:
    """Interventions, filterable by type."""
    type_key = request.GET.get("type", "").strip()[:80]
    context = {
        "page": pages.intervention_page(request.user, type_key, request.GET.get("page")),
        "types": pages.intervention_types(),
        "type_key": type_key,
    }
    return render(request, "responses/intervention_list.html", context)


@login_required
def intervention_detail(request: SignedInRequest, pk: str) -> HttpResponse:
    """One intervention: targets, the state's responses, follow-ups, sources."""
    intervention = visible_or_404(request.user, Intervention.objects.real(), pk)
    return render(
        request,
        "responses/intervention.html",
        {"d": pages.intervention_detail(request.user, intervention)},
    )


@login_required
@replica_view
def response_gap(request: SignedInRequest) -> HttpResponse:
    """Detained lawyers and defenders with no response; unanswered; overdue (visible only)."""
    return render(request, "responses/gap.html", {"gap": gap.response_gap(request.user)})


@login_required
def forum_positions(request: SignedInRequest) -> HttpResponse:
    """Positions taken in forums, and the governments silent on a topic or person."""
    topic = request.GET.get("topic", "").strip()[:100]
    person_id = request.GET.get("person", "").strip()[:40]
    person = None
    if person_id:
        if _uuid(person_id):
            person = visible(request.user, Person.objects.real()).filter(pk=person_id).first()
        if person is None:
            raise Http404
    silent = None
    if topic or person:
        silent = forums.silent_states(request.user, topic or None, [person] if person else None)
    context = {
        "positions": pages.recent_positions(request.user),
        "topic": topic,
        "person": person,
        "silent": silent,
    }
    return render(request, "responses/forums.html", context)


@login_required
def act_coding(request: SignedInRequest, pk: str) -> HttpResponse:
    """The violation codings of one act, with accept and reject buttons."""
    act = visible_or_404(
        request.user, Act.objects.real().select_related("act_type", "victim_person", "event"), pk
    )
    context = {
        "act": act,
        "codings": pages.act_codings(request.user, act),
        "may_code": _may_code(request),
        "summary_notice": SUMMARY_NOTICE,
    }
    return render(request, "responses/act_coding.html", context)


@login_required
@require_POST
def suggest_for_act(request: SignedInRequest, pk: str) -> HttpResponse:
    """Run the suggestion rules on one act."""
    if not _may_code(request):
        raise PermissionDenied
    act = visible_or_404(request.user, Act.objects.real(), pk)
    if not allows(request.user, "change", act):
        raise PermissionDenied
    report = coding.suggest(acts=[act])
    messages.info(request, f"{len(report.created)} new suggestion(s).")
    return redirect("responses:act-coding", act.pk)


@login_required
@require_POST
def decide_coding(request: SignedInRequest, pk: str, decision: str) -> HttpResponse:
    """Accept or reject one coding."""
    if not _may_code(request):
        raise PermissionDenied
    wanted = {"accept": "accepted", "reject": "rejected"}.get(decision)
    if wanted is None:
        raise Http404
    found = visible_or_404(request.user, ViolationCoding.objects.all(), pk)
    if not allows(request.user, "change", found):
        raise PermissionDenied
    try:
        decided = coding.decide(pk, wanted, request.POST.get("note", "")[:2000])
    except VigilError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, exc.message)
        return redirect("responses:interventions")
    return redirect("responses:act-coding", decided.act_id)


def _uuid(text: str) -> bool:
    import uuid

    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
