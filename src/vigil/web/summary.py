"""What the home page shows: counts of the records the user may view, and recent changes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count as Counted

from vigil.policy.access import restrict
from vigil.records.custody import Custody, custody_by_person
from vigil.records.models import (
    Act,
    Event,
    Involvement,
    LegalProvision,
    Organisation,
    Participant,
    Person,
    Source,
    Statistic,
    Term,
)
from vigil.web.changes import Change, recent_changes


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


def labelled(vocabulary: str, counts: dict[str, int]) -> list[Count]:
    """Counts keyed by term key, with the term's label in the active language, largest first."""
    terms = {t.key: t for t in Term.objects.filter(vocabulary=vocabulary, key__in=list(counts))}
    rows = [
        Count(key, terms[key].label() if key in terms else key, n)
        for key, n in counts.items()
        if key is not None
    ]
    return sorted(rows, key=lambda c: (-c.n, c.label))


def visible_stats(user: Any) -> dict[str, Any]:
    """The counts of ``vigil.records.stats.record_stats``, over what ``user`` may view only.

    A count of hidden records would tell a viewer that restricted records exist, and how many.
    """

    def seen(qs: Any) -> Any:
        return restrict(user, "view", qs)

    acts = seen(Act.objects.all())
    by_type = dict(
        acts.values_list("act_type__key").annotate(n=Counted("id")).order_by("act_type__key")
    )
    roles = {
        key: persons + organisations
        for key, persons, organisations in seen(Involvement.objects.all())
        .values_list("role__key")
        .annotate(
            p=Counted("perpetrator_person", distinct=True),
            o=Counted("perpetrator_organisation", distinct=True),
        )
        .order_by("role__key")
    }
    custody = Counter(state.status.value for state in custody_by_person(acts).values())
    persons = seen(Person.objects.all())
    return {
        "persons": persons.count(),
        "persons_synthetic": persons.filter(is_synthetic=True).count(),
        "persons_name_withheld": persons.filter(name_withheld=True).count(),
        "organisations": seen(Organisation.objects.all()).count(),
        "events": seen(Event.objects.all()).count(),
        "acts": acts.count(),
        "acts_by_type": by_type,
        "legal_provisions": seen(LegalProvision.objects.all()).count(),
        "perpetrators_by_role": roles,
        "participants_unconfirmed": seen(Participant.objects.filter(confirmed_role="")).count(),
        "sources": seen(Source.objects.all()).count(),
        "statistics": seen(Statistic.objects.all()).count(),
        "custody": {
            "in_custody": custody.get(Custody.IN_CUSTODY.value, 0),
            "restricted_liberty": custody.get(Custody.RESTRICTED.value, 0),
            "not_in_custody": custody.get(Custody.NOT_IN_CUSTODY.value, 0),
            "died_in_custody": custody.get(Custody.DIED_IN_CUSTODY.value, 0),
        },
    }


def home_summary(user: Any, recent: int = 15) -> HomeSummary:
    """Everything the home page shows to ``user``."""
    stats = visible_stats(user)
    return HomeSummary(
        stats=stats,
        acts_by_type=labelled("act_type", stats["acts_by_type"]),
        perpetrators_by_role=labelled("perpetrator_role", stats["perpetrators_by_role"]),
        recent=recent_changes(user, recent),
    )
