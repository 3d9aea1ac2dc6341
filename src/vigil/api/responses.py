"""Interventions, the response gap and the states silent in multilateral forums."""

from collections import Counter
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from vigil.api.auth import api_user
from vigil.api.common import Paged, visible, visible_or_404
from vigil.api.present import Visibility, choice, custody_out, meta, term_out
from vigil.api.schemas.common import LIST_ERRORS, PRECISIONS, READ_ERRORS, Code, NonEmptyLine, Ref
from vigil.api.schemas.responses import (
    DetainedOut,
    InterventionOut,
    OverdueOut,
    ResponseGapOut,
    SilentStateOut,
    UnansweredOut,
)
from vigil.records.models import Intervention, Organisation, Person
from vigil.responses.forums import positions_about, states
from vigil.responses.gap import HELD_OR_UNRELEASED, response_gap
from vigil.responses.models import ForumPosition

router = Router(tags=["responses"])


class InterventionFilters(Schema):
    """Filters of the interventions list."""

    person: UUID | None = None
    type: Code | None = None


class SilenceQuery(Schema):
    """The subject whose silent states are wanted."""

    topic: NonEmptyLine


def _ref(obj: Any) -> Ref:
    if isinstance(obj, Intervention):
        return Ref(id=obj.pk, name=obj.title or obj.reference or str(obj.pk))
    return Ref(id=obj.pk, name=str(obj) or str(obj.pk))


def intervention_out(seen: Visibility, item: Intervention) -> InterventionOut:
    """An intervention with only the linked records the user may see."""
    persons = seen.view(item.persons.all())
    cases = seen.view(item.cases.all())
    acts = seen.view(item.acts.all()).values_list("pk", flat=True)
    return InterventionOut(
        **meta(item),
        intervention_type=term_out(item.intervention_type),
        party=seen.ref(Organisation, item.party),
        title=item.title,
        reference=item.reference,
        url=item.url,
        date=item.date,
        date_precision=choice(item.date_precision, PRECISIONS),
        status=term_out(item.status),
        state_response=term_out(item.state_response),
        state_response_date=item.state_response_date,
        outcome=item.outcome,
        follow_up_due=item.follow_up_due,
        persons=[_ref(p) for p in persons],
        acts=list(acts),
        cases=[_ref(c) for c in cases],
    )


def _interventions(request: HttpRequest, items: list[Intervention]) -> list[InterventionOut]:
    seen = Visibility(api_user(request))
    return [intervention_out(seen, i) for i in items]


def _with_terms(queryset: QuerySet[Intervention]) -> QuerySet[Intervention]:
    return queryset.select_related("intervention_type", "party", "status", "state_response")


@router.get("/interventions", response={200: list[InterventionOut], **LIST_ERRORS})
@paginate(Paged, prepare=_interventions)
def list_interventions(
    request: HttpRequest, filters: Query[InterventionFilters]
) -> QuerySet[Intervention]:
    """Interventions the user may see, optionally about one person or of one type."""
    qs = Intervention.objects.all()
    if filters.person is not None:
        qs = qs.filter(persons__id=filters.person)
    if filters.type:
        qs = qs.filter(intervention_type__key=filters.type)
    return _with_terms(visible(request, qs).distinct()).order_by("date", "title", "id")


@router.get("/interventions/{id}", response={200: InterventionOut, **READ_ERRORS})
def get_intervention(request: HttpRequest, id: UUID) -> InterventionOut:
    """One intervention with the state's response."""
    item = visible_or_404(request, _with_terms(Intervention.objects.all()), id)
    return intervention_out(Visibility(api_user(request)), item)


@router.get("/response-gap", response={200: ResponseGapOut, **LIST_ERRORS})
def get_response_gap(request: HttpRequest) -> ResponseGapOut:
    """Detained lawyers and defenders without response, unanswered and overdue communications.

    Custody is re-derived from the acts the user may see, and every row names only records
    the user may see.
    """
    seen = Visibility(api_user(request))
    gap = response_gap(api_user(request))
    people = seen.ids(Person, [d.person.pk for d in gap.detained])
    custody = seen.custody(people)
    detained = [
        DetainedOut(
            person=_ref(d.person),
            professions=list(d.professions),
            custody=custody_out(custody.get(d.person.pk)),
            missing=list(d.missing),
        )
        for d in gap.detained
        if d.person.pk in custody and custody[d.person.pk].status in HELD_OR_UNRELEASED
    ]
    shown = seen.ids(
        Intervention, [i.pk for i in gap.unanswered] + [o.intervention.pk for o in gap.overdue]
    )
    return ResponseGapOut(
        detained_without_response=detained,
        communications_without_state_response=[
            UnansweredOut(
                intervention=_ref(i),
                type=term_out(i.intervention_type),
                reference=i.reference,
                date=i.date,
            )
            for i in gap.unanswered
            if i.pk in shown
        ],
        overdue_follow_ups=[
            OverdueOut(intervention=_ref(o.intervention), due=o.due, action=o.action)
            for o in gap.overdue
            if o.intervention.pk in shown
        ],
    )


@router.get("/forums/silent-states", response={200: list[SilentStateOut], **LIST_ERRORS})
def list_silent_states(request: HttpRequest, query: Query[SilenceQuery]) -> list[SilentStateOut]:
    """Foreign governments with no recorded position on ``topic`` among what the user may see."""
    seen = Visibility(api_user(request))
    # Counted over visible positions only, so a hidden position cannot show through.
    spoke = seen.view(positions_about(query.topic)).values("state_id")
    counts = Counter(seen.view(ForumPosition.objects.real()).values_list("state_id", flat=True))
    silent = seen.view(states()).exclude(pk__in=spoke).order_by("display_name", "id")
    return [
        SilentStateOut(state=_ref(s), positions_on_other_subjects=counts.get(s.pk, 0))
        for s in silent
    ]
