"""Custody derived from acts, never from a source's status label: the one definition.

Every surface that shows or filters custody (home, the persons list and its filter,
``vigil stats``, the API, the public prisoners page and its JSON, drafts, the profile) calls
:func:`derive` through :func:`custody_by_person` or :func:`custody_of`; the SQL filter of
``vigil.records.custody_filter`` narrows candidates and then asks this module. The figures:

**In custody.** A person whose latest act that decides custody (arrest, detention,
administrative arrest, a sentence of deprivation of liberty) has no later act that ends it
(release, pardon, dismissal, a non-custodial sentence), and whose sentence term, when one is
recorded, has not yet ended (``term_ends`` on or after the day of the count).

**Term ended, release not recorded.** A person who would be in custody or under restricted
liberty by these rules, but whose recorded sentence term (counted from the start of custody,
or from the sentence of restriction) ended before the day of the count. Custody is unknown:
the person may have been released or held longer. This is a task for documenters, never part
of the count of persons in custody or with restricted liberty.

**Restricted liberty.** A person whose latest deciding act is house arrest or a sentence of
restriction of liberty ("khimiya" in an open facility, home confinement) whose recorded term,
if any, has not ended: not imprisoned, not free. Counted apart from custody.

**Died in custody** and **not in custody** are the other decided states; **unknown** is a
person with no act that decides custody.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from vigil.records.models import Act
from vigil.records.sentence_totals import SentenceKind, sentence_kind


class Custody(StrEnum):
    IN_CUSTODY = "in_custody"
    TERM_ENDED = "term_ended_release_not_recorded"
    RESTRICTED = "restricted_liberty"
    NOT_IN_CUSTODY = "not_in_custody"
    DIED_IN_CUSTODY = "died_in_custody"
    UNKNOWN = "unknown"


DETAINING = {"arrest", "detention", "administrative_arrest", "incommunicado_detention"}
RESTRICTING = {"house_arrest"}
ENDING = {"release", "pardon", "charges_dismissed", "forced_exile"}
SENTENCING = {"sentence", "appeal_decision", "cassation_decision"}
RELEVANT = DETAINING | RESTRICTING | ENDING | SENTENCING | {"death_in_custody"}
# States that last only as long as a recorded term: once it has ended, "term ended".
SERVING = (Custody.IN_CUSTODY, Custody.RESTRICTED)
# What a sentence of each kind does to custody: a fine alone or a suspended sentence ends it,
# a sentence with no term recorded changes nothing.
_SENTENCE_EFFECT = {
    SentenceKind.DEPRIVATION: Custody.IN_CUSTODY,
    SentenceKind.ARREST: Custody.IN_CUSTODY,
    SentenceKind.RESTRICTION: Custody.RESTRICTED,
    SentenceKind.SUSPENDED: Custody.NOT_IN_CUSTODY,
    SentenceKind.FINE: Custody.NOT_IN_CUSTODY,
}
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
    act_id: Any = None  # the deciding act's id
    term_ends: dt.date | None = None

    @property
    def term_expired_without_release(self) -> bool:
        """The sentence should have ended, but no release is recorded (custody unknown)."""
        return self.status is Custody.TERM_ENDED


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
    fine: Decimal | None = None


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
        kind = sentence_kind(
            months=act.months,
            regime=act.regime,
            measure=act.measure,
            suspended=act.suspended,
            fine=act.fine,
        )
        return _SENTENCE_EFFECT.get(kind)
    return None


def _add_months(day: dt.date, months: Decimal) -> dt.date:
    whole = int(months)
    extra_days = int((months - whole) * 30)
    year, month = divmod(day.month - 1 + whole, 12)
    target = dt.date(day.year + year, month + 1, 1)
    import calendar

    last = calendar.monthrange(target.year, target.month)[1]
    return target.replace(day=min(day.day, last)) + dt.timedelta(days=extra_days)


def derive(acts: Iterable[_ActFacts], today: dt.date | None = None) -> CustodyState:
    """Derive the custody state from one person's acts, as of ``today`` (default: now)."""
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
    return as_of(state, today)


#: The day before every recorded term ends: ``derive(acts, RECORDED)`` is the state as the acts
#: record it, before the day of the count turns a term into "term ended" (what is stored).
RECORDED = dt.date.min


def as_of(state: CustodyState, today: dt.date | None = None) -> CustodyState:
    """The state as of ``today`` (default: now): a served term that has ended is "term ended"."""
    day = today or dt.date.today()
    if state.status in SERVING and state.term_ends is not None and state.term_ends < day:
        return CustodyState(Custody.TERM_ENDED, state.since, state.act_id, state.term_ends)
    return state


def acts_facts(qs: QuerySet[Act]) -> Iterable[tuple[object, _ActFacts]]:
    """(victim person id, the facts ``derive`` reads) of each of ``qs`` that custody reads."""
    return _facts(qs)


_FACT_COLUMNS = (
    "victim_person_id",
    "id",
    "act_type__key",
    "date",
    "sentence_months",
    "sentence_regime_id",
    "restriction_measure_id",
    "suspended",
    "date_end",
    "fine_amount",
)


def _facts(qs: QuerySet[Act]) -> Iterable[tuple[object, _ActFacts]]:
    rows = qs.filter(act_type__key__in=RELEVANT).values_list(*_FACT_COLUMNS)
    for person_id, act_id, kind, date, months, regime, measure, suspended, end, fine in rows:
        yield (
            person_id,
            _ActFacts(act_id, kind, date, months, regime, measure, suspended, end, fine),
        )


def acts_facts_seen(
    qs: QuerySet[Act], seen_by: Sequence[QuerySet[Act]]
) -> Iterable[tuple[object, _ActFacts, tuple[bool, ...]]]:
    """:func:`acts_facts` of ``qs``, each with whether each of ``seen_by`` holds the act: one
    query (each of ``seen_by`` an ``EXISTS`` on the act's key) instead of one per queryset,
    the facts in the same order."""
    return facts_seen_rows(acts_facts_seen_query(qs, seen_by))


def acts_facts_seen_query(qs: QuerySet[Act], seen_by: Sequence[QuerySet[Act]]) -> QuerySet[Any]:
    """The ``values_list`` read :func:`acts_facts_seen` makes (its rows go through
    :func:`facts_seen_rows`)."""
    names = [f"_seen_{i}" for i in range(len(seen_by))]
    marks = {n: Exists(q.filter(pk=OuterRef("pk"))) for n, q in zip(names, seen_by, strict=True)}
    return (
        qs.filter(act_type__key__in=RELEVANT).annotate(**marks).values_list(*_FACT_COLUMNS, *names)
    )


def facts_seen_rows(
    rows: Iterable[tuple[Any, ...]],
) -> Iterator[tuple[object, _ActFacts, tuple[bool, ...]]]:
    """The rows of :func:`acts_facts_seen_query` as (person id, facts, seen by each)."""
    width = len(_FACT_COLUMNS)
    for row in rows:
        person_id, act_id, kind, date, months, regime, measure, suspended, end, fine = row[:width]
        yield (
            person_id,
            _ActFacts(act_id, kind, date, months, regime, measure, suspended, end, fine),
            tuple(bool(v) for v in row[width:]),
        )


def custody_of(person: object, today: dt.date | None = None) -> CustodyState:
    """The custody state of one person (from all their acts: callers pass visible ones)."""
    return derive((f for _, f in _facts(Act.objects.filter(victim_person=person))), today)


def custody_by_person(
    acts: QuerySet[Act] | None = None, today: dt.date | None = None
) -> dict[Any, CustodyState]:
    """The custody state of every person who is the victim of one of ``acts``."""
    grouped: dict[object, list[_ActFacts]] = defaultdict(list)
    qs = acts if acts is not None else Act.objects.all()
    for person_id, facts in _facts(qs.filter(victim_person__isnull=False)):
        grouped[person_id].append(facts)
    return {pid: derive(f, today) for pid, f in grouped.items()}


# The counted states, in the order every surface shows them (``stats --json`` keys).
COUNTED = (
    Custody.IN_CUSTODY,
    Custody.TERM_ENDED,
    Custody.RESTRICTED,
    Custody.NOT_IN_CUSTODY,
    Custody.DIED_IN_CUSTODY,
)


def custody_counts(states: Iterable[CustodyState]) -> dict[str, int]:
    """How many persons are in each counted state (unknown is not counted: no act decides it)."""
    return counted(Counter(state.status.value for state in states))


def counted(by_status: Mapping[str, int]) -> dict[str, int]:
    """The counts of :func:`custody_counts` from how many persons are in each state (by the
    state's value), however they were tallied."""
    counts = dict.fromkeys((c.value for c in COUNTED), 0)
    for status, n in by_status.items():
        if status != Custody.UNKNOWN.value:
            counts[status] += n
    return counts
