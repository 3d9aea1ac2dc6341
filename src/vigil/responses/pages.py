"""What the response pages show, gathered in one place so views stay thin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from vigil.policy.access import restrict
from vigil.records.models import Act, Information, Intervention, Source, Term
from vigil.responses.models import ForumPosition, ViolationCoding

if TYPE_CHECKING:
    from vigil.accounts.types import User

PAGE_SIZE = 50


def intervention_types() -> QuerySet[Term]:
    """The intervention types, for the list's filter."""
    return Term.objects.filter(vocabulary="intervention_type").order_by("label_en")


def intervention_page(user: User, type_key: str, page: Any) -> Page:
    """Real interventions ``user`` may view, optionally of one type, newest first, paginated."""
    qs = (
        restrict(user, "view", Intervention.objects.real())
        .select_related("intervention_type", "party", "state_response", "status")
        .order_by("-date", "title")
    )
    if type_key:
        qs = qs.filter(intervention_type__key=type_key)
    return Paginator(qs, PAGE_SIZE).get_page(page)


@dataclass
class InterventionDetail:
    intervention: Intervention
    persons: list[Any]
    acts: list[Act]
    responses: list[Any]
    follow_ups: list[Any]
    beneficiaries: int
    positions: list[ForumPosition]
    sources: list[Information]


def intervention_detail(user: User, intervention: Intervention) -> InterventionDetail:
    """One intervention with its targets, responses, follow-ups and sources ``user`` may view."""
    ct = ContentType.objects.get_for_model(Intervention)

    def seen(queryset: Any) -> Any:
        return restrict(user, "view", queryset)

    responses = list(seen(intervention.state_responses.select_related("response", "source")))
    shown_sources = set(
        seen(
            Source.objects.filter(pk__in=[r.source_id for r in responses if r.source_id])
        ).values_list("pk", flat=True)
    )
    for response in responses:
        if response.source_id and response.source_id not in shown_sources:
            response.source = None  # for display only; never saved
    return InterventionDetail(
        intervention=intervention,
        persons=list(seen(intervention.persons.real())),
        acts=list(
            seen(intervention.acts.real()).select_related(
                "act_type", "victim_person", "victim_organisation"
            )
        ),
        responses=responses,
        follow_ups=list(seen(intervention.follow_ups.all())),
        # Names of beneficiaries are restricted: the page shows only how many there are.
        beneficiaries=seen(intervention.beneficiaries.all()).count(),
        positions=list(seen(intervention.forum_positions.real()).select_related("state")),
        sources=list(
            seen(
                Information.objects.real().filter(target_type=ct, target_id=intervention.pk)
            ).select_related("source", "source__reliability", "reliability")
        ),
    )


def act_codings(user: User, act: Act) -> list[ViolationCoding]:
    """The codings of one act ``user`` may view, suggestions first."""
    order = {"suggested": 0, "accepted": 1, "rejected": 2}
    codings = list(restrict(user, "view", act.codings.select_related("standard", "decided_by")))
    return sorted(codings, key=lambda c: (order[c.status], c.standard.instrument, c.standard.pk))


def recent_positions(user: User, limit: int = 100) -> list[ForumPosition]:
    """The latest forum positions recorded that ``user`` may view."""
    return list(
        restrict(user, "view", ForumPosition.objects.real())
        .select_related("state")
        .order_by("-date", "-created_at")[:limit]
    )
