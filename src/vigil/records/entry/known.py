"""What is already recorded about a person that a new trial entry starts from.

A trial recorded from a person's profile begins with the defendant chosen, the date of their
latest recorded arrest, and the court and judge of their latest recorded trial or sentence,
each only where the record holds it and the user may view it. A place that is not a court
(a place of detention) is never offered as the court.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from vigil.policy.access import restrict
from vigil.records.entry.arrests import recorded_arrests
from vigil.records.models import Act, Involvement, Organisation, Person

if TYPE_CHECKING:
    from vigil.accounts.types import User

# Acts whose court and judge a new trial of the same person most likely shares.
COURT_ACTS = ("trial", "sentence", "appeal_decision", "cassation_decision")
JUDGE_ROLES = ("presiding_judge", "judge")


@dataclass(frozen=True)
class KnownForTrial:
    """The facts a trial form is prefilled with; None where nothing is recorded."""

    arrest: Act | None = None
    court: Organisation | None = None
    judge: Person | None = None
    judge_role: str = ""


def known_for_trial(user: User, person: Person) -> KnownForTrial:
    """The latest recorded arrest, court and judge of ``person`` that ``user`` may view."""
    arrests = recorded_arrests(user, person)
    dated = [a for a in arrests if a.date is not None]
    candidates = dated or arrests
    arrest = candidates[-1] if candidates else None
    acts = list(
        restrict(
            user,
            "view",
            Act.objects.filter(victim_person=person, act_type__key__in=COURT_ACTS),
        ).order_by("-date", "-created_at")
    )
    courts = restrict(
        user,
        "view",
        Organisation.objects.filter(pk__in=[a.place_id for a in acts if a.place_id]),
    ).filter(kind__key="court")
    by_pk = {o.pk: o for o in courts}
    court = next((by_pk[a.place_id] for a in acts if a.place_id in by_pk), None)
    judge, role = _judge(user, acts)
    return KnownForTrial(arrest=arrest, court=court, judge=judge, judge_role=role)


def _judge(user: User, acts: list[Act]) -> tuple[Person | None, str]:
    """The judge of the latest of ``acts`` that names one the user may view, and their role."""
    order = {a.pk: i for i, a in enumerate(acts)}
    involvements = restrict(
        user,
        "view",
        Involvement.objects.filter(
            act__in=list(order),
            role__key__in=JUDGE_ROLES,
            perpetrator_person__isnull=False,
        ),
    ).select_related("role")
    found = sorted(involvements, key=lambda i: (order[i.act_id], JUDGE_ROLES.index(i.role.key)))
    visible = set(
        restrict(
            user, "view", Person.objects.filter(pk__in=[i.perpetrator_person_id for i in found])
        ).values_list("pk", flat=True)
    )
    for inv in found:
        if inv.perpetrator_person_id in visible:
            return Person.objects.get(pk=inv.perpetrator_person_id), inv.role.key
    return None, ""
