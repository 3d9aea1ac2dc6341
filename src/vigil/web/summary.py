"""What the home page shows: counts of the records the user may view, and recent changes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vigil.records.custody import Custody
from vigil.records.models import Person, Term
from vigil.records.stats import record_stats
from vigil.web.changes import Change, recent_changes
from vigil.web.tasks import Task, follow_ups_due, persons_in

if TYPE_CHECKING:
    from vigil.accounts.types import User


@dataclass(frozen=True)
class Count:
    """One labelled count (an act type, a perpetrator role)."""

    key: str
    label: str
    n: int


@dataclass(frozen=True)
class HomeSummary:
    """Counts of the visible record, labelled, plus the latest visible changes."""

    stats: dict[str, Any]
    acts_by_type: list[Count]
    perpetrators_by_role: list[Count]
    recent: list[Change]
    in_custody: list[Person]
    term_ended: list[Person]
    tasks: list[Task]
    tasks_are_awaiting: bool


def labelled(vocabulary: str, counts: dict[str, int]) -> list[Count]:
    """Counts keyed by term key, with the term's label in the active language, largest first."""
    terms = {t.key: t for t in Term.objects.filter(vocabulary=vocabulary, key__in=list(counts))}
    rows = [
        Count(key, terms[key].label() if key in terms else key, n)
        for key, n in counts.items()
        if key is not None
    ]
    return sorted(rows, key=lambda c: (-c.n, c.label))


def visible_stats(user: User) -> dict[str, Any]:
    """The counts of ``record_stats``, over what ``user`` may view only.

    A count of hidden records would tell a viewer that restricted records exist, and how many.
    """
    return record_stats(user=user)


def home_summary(user: User, recent: int = 15) -> HomeSummary:
    """Everything the home page shows to ``user``."""
    # The counts and the two work lists read the same stored custody (one derivation).
    stats = visible_stats(user)
    tasks, awaiting = follow_ups_due(user)
    return HomeSummary(
        stats=stats,
        acts_by_type=labelled("act_type", stats["acts_by_type"]),
        perpetrators_by_role=labelled("perpetrator_role", stats["perpetrators_by_role"]),
        recent=recent_changes(user, recent),
        in_custody=persons_in(user, Custody.IN_CUSTODY),
        term_ended=persons_in(user, Custody.TERM_ENDED),
        tasks=tasks,
        tasks_are_awaiting=awaiting,
    )
