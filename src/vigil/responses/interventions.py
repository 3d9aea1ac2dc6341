"""Services for interventions: create one, record the state's response, find overdue follow-ups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext

from vigil.core.errors import ValidationFailed
from vigil.records.models import Act, Case, Intervention, Organisation, Person, Source, Term
from vigil.responses.models import FollowUp, InterventionBeneficiary, StateResponse

# A response that is no response: "none" means the state was silent.
NON_RESPONSES = {"none"}


def _term(vocabulary: str, key: str) -> str:
    pk = Term.pk_for(vocabulary, key)
    if not Term.objects.filter(pk=pk).exists():
        known = ", ".join(Term.objects.filter(vocabulary=vocabulary).values_list("key", flat=True))
        raise ValidationFailed(f"unknown {vocabulary.replace('_', ' ')} {key!r}; known: {known}")
    return pk


@transaction.atomic
def create_intervention(
    intervention_type: str,
    *,
    party: Organisation | None = None,
    title: str = "",
    reference: str = "",
    date: dt.date | None = None,
    date_precision: str = "day",
    description: str = "",
    follow_up_due: dt.date | None = None,
    persons: Iterable[Person] = (),
    acts: Iterable[Act] = (),
    cases: Iterable[Case] = (),
    **fields: Any,
) -> Intervention:
    """Record an intervention and what it is about."""
    intervention = Intervention(
        intervention_type_id=_term("intervention_type", intervention_type),
        party=party,
        title=title,
        reference=reference,
        date=date,
        date_precision=date_precision if date else "unknown",
        description=description,
        follow_up_due=follow_up_due,
        status_id=fields.pop("status_id", None) or _term("intervention_status", "pending"),
        **fields,
    )
    intervention.save()
    intervention.persons.set(list(persons))
    intervention.acts.set(list(acts))
    intervention.cases.set(list(cases))
    return intervention


@transaction.atomic
def record_response(
    intervention: Intervention,
    response: str,
    *,
    date: dt.date | None = None,
    summary: str = "",
    source: Source | None = None,
) -> StateResponse:
    """Add the state's response to the history and make it the intervention's current one."""
    entry = StateResponse(
        intervention=intervention,
        response_id=_term("state_response", response),
        date=date,
        summary=summary.strip(),
        source=source,
    )
    entry.save()
    latest = latest_response(intervention)
    if latest is not None and (
        intervention.state_response_id != latest.response_id
        or intervention.state_response_date != latest.date
    ):
        intervention.state_response_id = latest.response_id
        intervention.state_response_date = latest.date
        if latest.response.key not in NON_RESPONSES:
            intervention.status_id = Term.pk_for("intervention_status", "responded")
        intervention.save()
    return entry


def latest_response(intervention: Intervention) -> StateResponse | None:
    """The most recent response (undated responses count as older than dated ones)."""
    responses = list(intervention.state_responses.select_related("response"))
    if not responses:
        return None
    return max(responses, key=lambda r: (r.date or dt.date.min, r.created_at))


@transaction.atomic
def add_beneficiary(
    intervention: Intervention, person: Person, kind: str, *, note: str = "", **fields: Any
) -> InterventionBeneficiary:
    """Record who a grant, relocation or protection measure helped (restricted)."""
    beneficiary = InterventionBeneficiary(
        intervention=intervention, person=person, kind=kind, note=note, **fields
    )
    beneficiary.full_clean(exclude=["intervention", "person"])
    beneficiary.save()
    return beneficiary


@transaction.atomic
def add_follow_up(intervention: Intervention, due: dt.date, action: str) -> FollowUp:
    """Schedule a follow-up on an intervention."""
    if not action.strip():
        raise ValidationFailed("A follow-up needs a description of what to do.")
    follow_up = FollowUp(intervention=intervention, due=due, action=action.strip())
    follow_up.save()
    return follow_up


def unanswered(interventions: QuerySet[Intervention] | None = None) -> QuerySet[Intervention]:
    """Interventions with no response from the state (no history, no current response)."""
    qs = interventions if interventions is not None else Intervention.objects.all()
    answered = StateResponse.objects.filter(intervention=OuterRef("pk")).exclude(
        response__key__in=NON_RESPONSES
    )
    return qs.filter(
        Q(state_response__isnull=True) | Q(state_response__key__in=NON_RESPONSES)
    ).exclude(Exists(answered))


@dataclass(frozen=True)
class Overdue:
    """An intervention whose follow-up date has passed with no response from the state."""

    intervention: Intervention
    due: dt.date
    action: str
    follow_up: FollowUp | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "intervention": str(self.intervention.pk),
            "title": self.intervention.title,
            "reference": self.intervention.reference,
            "due": self.due.isoformat(),
            "action": self.action,
        }


def overdue_follow_ups(today: dt.date | None = None) -> list[Overdue]:
    """Follow-ups due before ``today`` on interventions the state has not answered."""
    today = today or dt.date.today()
    waiting = unanswered(Intervention.objects.real())
    found = [
        Overdue(i, i.follow_up_due, gettext("follow-up due"))
        for i in waiting.filter(follow_up_due__lt=today).select_related("intervention_type")
        if i.follow_up_due is not None
    ]
    for f in (
        FollowUp.objects.real()
        .filter(due__lt=today, done_on__isnull=True, intervention__in=waiting)
        .select_related("intervention")
    ):
        found.append(Overdue(f.intervention, f.due, f.action, f))
    return sorted(found, key=lambda o: (o.due, str(o.intervention.pk)))
