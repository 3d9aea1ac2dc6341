"""What the response pages show, gathered in one place so views stay thin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from vigil.records.models import Act, Information, Intervention, Term
from vigil.responses.models import ForumPosition, ViolationCoding

PAGE_SIZE = 50


def intervention_types() -> QuerySet[Term]:
    """The intervention types, for the list's filter."""
    return Term.objects.filter(vocabulary="intervention_type").order_by("label_en")


def intervention_page(type_key: str, page: Any) -> Page:
    """Real interventions, optionally of one type, newest first, paginated."""
    qs = (
        Intervention.objects.real()
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


def intervention_detail(intervention: Intervention) -> InterventionDetail:
    """One intervention with its targets, response history, follow-ups and sources."""
    ct = ContentType.objects.get_for_model(Intervention)
    return InterventionDetail(
        intervention=intervention,
        persons=list(intervention.persons.real()),
        acts=list(
            intervention.acts.real().select_related(
                "act_type", "victim_person", "victim_organisation"
            )
        ),
        responses=list(intervention.state_responses.select_related("response", "source")),
        follow_ups=list(intervention.follow_ups.all()),
        # Names of beneficiaries are restricted: the page shows only how many there are.
        beneficiaries=intervention.beneficiaries.count(),
        positions=list(intervention.forum_positions.real().select_related("state")),
        sources=list(
            Information.objects.real()
            .filter(target_type=ct, target_id=intervention.pk)
            .select_related("source", "source__reliability", "reliability")
        ),
    )


def act_codings(act: Act) -> list[ViolationCoding]:
    """The codings of one act, suggestions first."""
    order = {"suggested": 0, "accepted": 1, "rejected": 2}
    codings = list(act.codings.select_related("standard", "decided_by"))
    return sorted(codings, key=lambda c: (order[c.status], c.standard.instrument, c.standard.pk))


def recent_positions(limit: int = 100) -> list[ForumPosition]:
    """The latest forum positions recorded."""
    return list(
        ForumPosition.objects.real()
        .select_related("state")
        .order_by("-date", "-created_at")[:limit]
    )
