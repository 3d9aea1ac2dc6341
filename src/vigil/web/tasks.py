"""The home page's work lists: people in custody, terms ended without a recorded release, and
follow-ups falling due."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vigil.records.custody import Custody
from vigil.records.custody_filter import first_by_name
from vigil.records.models import Intervention, Person
from vigil.records.visible import visible
from vigil.responses.interventions import unanswered
from vigil.responses.models.interventions import FollowUp

if TYPE_CHECKING:
    from vigil.accounts.types import User

HORIZON_DAYS = 30


@dataclass(frozen=True)
class Task:
    """A follow-up owed on an intervention: what, when, and whether it is already late."""

    intervention: Intervention
    due: dt.date | None
    action: str
    overdue: bool


def persons_in(user: User, status: Custody, limit: int = 10) -> list[Person]:
    """Up to ``limit`` visible persons, by name, whose custody derived from the acts ``user``
    may view is ``status``: in custody, or a term ended without a recorded release (a
    documenter's task)."""
    return first_by_name(user, status.value, limit)


def follow_ups_due(
    user: User, today: dt.date | None = None, limit: int = 10
) -> tuple[list[Task], bool]:
    """Follow-ups due within the horizon (or late) on visible interventions the state has not
    answered, soonest first; with none, interventions still awaiting a reply (flag True)."""
    today = today or dt.date.today()
    horizon = today + dt.timedelta(days=HORIZON_DAYS)
    waiting = unanswered(visible(user, Intervention.objects.all()))
    tasks = [
        Task(i, i.follow_up_due, "", i.follow_up_due is not None and i.follow_up_due < today)
        for i in waiting.filter(follow_up_due__lte=horizon).order_by("follow_up_due")[:limit]
    ]
    for fu in (
        visible(user, FollowUp.objects.filter(due__lte=horizon, done_on__isnull=True))
        .filter(intervention__in=waiting.values("pk"))
        .select_related("intervention")
        .order_by("due")[:limit]
    ):
        tasks.append(Task(fu.intervention, fu.due, fu.action, fu.due < today))
    tasks.sort(key=lambda t: (t.due or dt.date.max, str(t.intervention.pk)))
    if tasks:
        return tasks[:limit], False
    awaiting = waiting.order_by("date", "pk")[:limit]
    return [Task(i, i.follow_up_due, "", False) for i in awaiting], True
