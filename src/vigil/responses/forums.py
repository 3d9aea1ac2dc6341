"""Positions of states in multilateral forums, and the states that have never spoken."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q, QuerySet

from vigil.core.errors import ValidationFailed
from vigil.policy.access import restrict
from vigil.records.models import Case, Organisation, Person, Source, Term
from vigil.responses.models import Forum, ForumPosition, PositionKind

if TYPE_CHECKING:
    from vigil.accounts.types import User

FOREIGN_GOVERNMENT = Term.pk_for("organisation_kind", "foreign_government")


def states() -> QuerySet[Organisation]:
    """The foreign governments in the record (real, not deleted)."""
    return Organisation.objects.real().filter(kind_id=FOREIGN_GOVERNMENT)


@transaction.atomic
def record_position(
    state: Organisation,
    forum: str,
    position: str,
    *,
    session: str = "",
    date: dt.date | None = None,
    topic: str = "",
    summary: str = "",
    persons: Iterable[Person] = (),
    cases: Iterable[Case] = (),
    source: Source | None = None,
) -> ForumPosition:
    """Record what a state said or how it voted in a forum."""
    if state.kind_id != FOREIGN_GOVERNMENT:
        raise ValidationFailed(f"{state} is not recorded as a foreign government.")
    if forum not in Forum.values:
        raise ValidationFailed(f"unknown forum {forum!r}; known: {', '.join(Forum.values)}")
    if position not in PositionKind.values:
        raise ValidationFailed(
            f"unknown position {position!r}; known: {', '.join(PositionKind.values)}"
        )
    persons, cases = list(persons), list(cases)
    if not (topic.strip() or persons or cases):
        raise ValidationFailed("A position is about persons, cases or a topic: give one.")
    entry = ForumPosition(
        state=state,
        forum=forum,
        position=position,
        session=session.strip(),
        date=date,
        date_precision="day" if date else "unknown",
        topic=topic.strip().casefold(),
        summary=summary.strip(),
        source=source,
    )
    entry.save()
    entry.persons.set(persons)
    entry.cases.set(cases)
    return entry


def positions_about(
    topic: str | None = None, persons: Iterable[Person] | None = None
) -> QuerySet[ForumPosition]:
    """Positions on ``topic`` or about any of ``persons`` (directly or through their cases)."""
    condition = Q()
    if topic:
        condition |= Q(topic=topic.strip().casefold())
    people = list(persons or [])
    if people:
        condition |= Q(persons__in=people) | Q(cases__persons__in=people)
    if not condition:
        raise ValidationFailed("Name a topic or persons to look for positions about.")
    return ForumPosition.objects.real().filter(condition).distinct()


@dataclass(frozen=True)
class SilentState:
    """A state with no recorded position on the subject, and what it has spoken on."""

    state: Organisation
    other_positions: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": self.state.display_name,
            "id": str(self.state.pk),
            "positions_on_other_subjects": self.other_positions,
        }


def silent_states(
    user: User, topic: str | None = None, persons: Iterable[Person] | None = None
) -> list[SilentState]:
    """Foreign governments ``user`` may view with no position ``user`` can see on the subject.

    Positions, their states and the cases linking them to ``persons`` are read through the
    policy: a hidden position never makes a state look as if it had spoken, nor its count.
    """
    condition = Q()
    if topic:
        condition |= Q(topic=topic.strip().casefold())
    people = list(persons or [])
    if people:
        cases = restrict(user, "view", Case.objects.filter(persons__in=people))
        condition |= Q(persons__in=people) | Q(cases__in=cases.values("pk"))
    if not condition:
        raise ValidationFailed("Name a topic or persons to look for positions about.")
    visible = restrict(user, "view", ForumPosition.objects.real())
    spoke = set(visible.filter(condition).values_list("state_id", flat=True))
    counts: dict[Any, int] = {}
    for state_id in visible.values_list("state_id", flat=True):
        counts[state_id] = counts.get(state_id, 0) + 1
    shown = restrict(user, "view", states()).exclude(pk__in=spoke).order_by("display_name")
    return [SilentState(state, counts.get(state.pk, 0)) for state in shown]
