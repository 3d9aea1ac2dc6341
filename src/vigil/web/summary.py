"""What the home page shows: the record's counts with vocabulary labels, and recent changes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vigil.records.models import Term
from vigil.records.stats import record_stats
from vigil.web.changes import Change, recent_changes


@dataclass(frozen=True)
class Count:
    """One labelled count (an act type, a perpetrator role)."""

    key: str
    label: str
    n: int


@dataclass(frozen=True)
class HomeSummary:
    """Counts from :func:`record_stats`, labelled, plus the latest changes."""

    stats: dict[str, Any]
    acts_by_type: list[Count]
    perpetrators_by_role: list[Count]
    recent: list[Change]


def labelled(vocabulary: str, counts: dict[str, int]) -> list[Count]:
    """Counts keyed by term key, with the term's label in the active language, largest first."""
    terms = {t.key: t for t in Term.objects.filter(vocabulary=vocabulary, key__in=list(counts))}
    rows = [
        Count(key, terms[key].label() if key in terms else key, n)
        for key, n in counts.items()
        if key is not None
    ]
    return sorted(rows, key=lambda c: (-c.n, c.label))


def home_summary(recent: int = 15) -> HomeSummary:
    """Everything the home page shows."""
    stats = record_stats()
    return HomeSummary(
        stats=stats,
        acts_by_type=labelled("act_type", stats["acts_by_type"]),
        perpetrators_by_role=labelled("perpetrator_role", stats["perpetrators_by_role"]),
        recent=recent_changes(recent),
    )
