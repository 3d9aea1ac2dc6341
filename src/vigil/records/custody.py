"""Custody derived from acts, never from a source's status label.

A person is in custody when their latest custodial act (arrest, detention, a sentence of
imprisonment) has no later act that ends custody (release, pardon, dismissal, a non-custodial
sentence). Restricted liberty ("khimiya", home confinement, house arrest) is its own category.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.db.models import QuerySet

from vigil.records.models import Act


class Custody(StrEnum):
    IN_CUSTODY = "in_custody"
    RESTRICTED = "restricted_liberty"
    NOT_IN_CUSTODY = "not_in_custody"
    DIED_IN_CUSTODY = "died_in_custody"
    UNKNOWN = "unknown"


DETAINING = {"arrest", "detention", "administrative_arrest", "incommunicado_detention"}
RESTRICTING = {"house_arrest"}
ENDING = {"release", "pardon", "charges_dismissed", "forced_exile"}
SENTENCING = {"sentence", "appeal_decision", "cassation_decision"}
RELEVANT = DETAINING | RESTRICTING | ENDING | SENTENCING | {"death_in_custody"}
# Same-day acts happen in this order (an arrest precedes the release of the same day).
ORDER = {
    "arrest": 0,
    "detention": 1,
    "house_arrest": 1,
    "charge": 1,
    "trial": 2,
    "sentence": 3,
    "appeal_decision": 4,
}


@dataclass(frozen=True)
class CustodyState:
    status: Custody
    since: dt.date | None = None
    act_id: object = None
    term_ends: dt.date | None = None

    @property
    def term_expired_without_release(self) -> bool:
        """The sentence should have ended, but no release is recorded."""
        return (
            self.status is Custody.IN_CUSTODY
            and self.term_ends is not None
            and self.term_ends < dt.date.today()
        )


@dataclass(frozen=True)
class _ActFacts:
    id: object
    kind: str
    date: dt.date | None
    months: Decimal | None
    regime: str | None
    measure: str | None
    suspended: bool
    end: dt.date | None = None


def _effect(act: _ActFacts) -> Custody | None:
    """What an act does to custody, or None when it changes nothing."""
    if act.kind == "death_in_custody":
        return Custody.DIED_IN_CUSTODY
    if act.kind in DETAINING:
        return Custody.IN_CUSTODY
    if act.kind in RESTRICTING:
        return Custody.RESTRICTED
    if act.kind in ENDING:
        return Custody.NOT_IN_CUSTODY
    if act.kind in SENTENCING:
        if act.measure:
            return Custody.RESTRICTED
        if act.regime or (act.months and not act.suspended):
            return Custody.IN_CUSTODY
        if act.suspended:
            return Custody.NOT_IN_CUSTODY
        return None
    return None


def _add_months(day: dt.date, months: Decimal) -> dt.date:
    whole = int(months)
    extra_days = int((months - whole) * 30)
    year, month = divmod(day.month - 1 + whole, 12)
    target = dt.date(day.year + year, month + 1, 1)
    import calendar

    last = calendar.monthrange(target.year, target.month)[1]
    return target.replace(day=min(day.day, last)) + dt.timedelta(days=extra_days)


def derive(acts: Iterable[_ActFacts]) -> CustodyState:
    """Derive the custody state from one person's acts."""
    # An act known only by when it ended (a detention "until sentenced") sits at its end.
    ordered = sorted(acts, key=lambda a: (a.date or a.end or dt.date.min, ORDER.get(a.kind, 5)))
    state = CustodyState(Custody.UNKNOWN)
    custody_start: dt.date | None = None
    for act in ordered:
        effect = _effect(act)
        if effect is None:
            continue
        if effect is Custody.IN_CUSTODY and state.status is not Custody.IN_CUSTODY:
            custody_start = act.date
        term_ends = state.term_ends
        if act.kind in SENTENCING and act.months and effect is not Custody.NOT_IN_CUSTODY:
            start = custody_start if effect is Custody.IN_CUSTODY else act.date
            start = start or act.date
            term_ends = _add_months(start, act.months) if start else None
        if effect is not Custody.IN_CUSTODY:
            custody_start = None
        since = state.since if effect is state.status and effect is Custody.IN_CUSTODY else act.date
        state = CustodyState(effect, since, act.id, term_ends)
    if state.status is Custody.UNKNOWN:
        return state
    return state


def _facts(qs: QuerySet[Act]) -> Iterable[tuple[object, _ActFacts]]:
    rows = qs.filter(act_type__key__in=RELEVANT).values_list(
        "victim_person_id",
        "id",
        "act_type__key",
        "date",
        "sentence_months",
        "sentence_regime_id",
        "restriction_measure_id",
        "suspended",
        "date_end",
    )
    for person_id, act_id, kind, date, months, regime, measure, suspended, end in rows:
        yield person_id, _ActFacts(act_id, kind, date, months, regime, measure, suspended, end)


def custody_of(person: object) -> CustodyState:
    """The custody state of one person."""
    return derive(f for _, f in _facts(Act.objects.filter(victim_person=person)))


def custody_by_person(acts: QuerySet[Act] | None = None) -> dict[object, CustodyState]:
    """The custody state of every person who is the victim of an act."""
    grouped: dict[object, list[_ActFacts]] = defaultdict(list)
    qs = acts if acts is not None else Act.objects.all()
    for person_id, facts in _facts(qs.filter(victim_person__isnull=False)):
        grouped[person_id].append(facts)
    return {pid: derive(f) for pid, f in grouped.items()}
