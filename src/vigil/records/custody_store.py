"""Custody stored per person and confidentiality ceiling: what lists, filters and figures read
(through :func:`vigil.records.visible.custody_seen_by`).

:func:`vigil.records.custody.derive` stays the definition; this module keeps its result per
person for each ceiling (``public`` … ``secret``: a role that views every record up to that
level and none above), so a page reads one row per person instead of deriving from acts, and a
filter is a join. The stored state is the one the acts record (``RECORDED``); the day of the
count is applied when reading (:func:`vigil.records.custody.as_of`), so "term ended" needs no
nightly job.

A user reads the stored value when what they may view of persons, events, organisations and
acts is exactly their role's ceiling (:func:`vigil.policy.access.exact_ceiling`); a user whose
grant or own record lifts something above it gets custody derived from the acts they may view,
as before. Both are the same rule over the same acts.

Kept current by signals (``vigil.records.custody_signals``): every save of an act refreshes
its victim (and its former victim), every save of an event, organisation or person refreshes
the persons whose acts hang from it, bulk inserts refresh the victims they name.
``vigil custody rebuild`` recomputes every person.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value, When

from vigil.core.chunks import chunked
from vigil.core.statements import Statement
from vigil.policy.access import restrict_to_ceiling
from vigil.policy.rules import LEVELS
from vigil.records.batch import insert_plain, new_record
from vigil.records.custody import (
    RECORDED,
    SERVING,
    Custody,
    CustodyState,
    acts_facts_seen,
    acts_facts_seen_query,
    as_of,
    counted,
    custody_by_person,
    derive,
    facts_seen_rows,
)
from vigil.records.models import Act, Person
from vigil.records.models.stored_custody import StoredCustody

if TYPE_CHECKING:
    pass

CEILINGS: tuple[str, ...] = LEVELS
CHUNK = 500


@functools.cache
def _visible_acts(level: str) -> QuerySet[Act]:
    """The acts a role viewing every record up to ``level`` may view, built once per process.

    The ceiling's policy reads no grants and no user (``restrict_to_ceiling`` is a pure
    function of the level), so the filter with its parents' subqueries is the same on every
    act save; building it anew for each of the four ceilings of every save took a third of
    the refresh. Callers only ever ``filter`` it (a clone): it is never evaluated itself.
    """
    return restrict_to_ceiling(level, Act.objects.all())


def derived_at(level: str, person_ids: Iterable[Any]) -> dict[Any, CustodyState]:
    """Custody as recorded, derived now from the acts visible at ``level`` (the definition)."""
    acts = _visible_acts(level).filter(victim_person_id__in=list(person_ids))
    return custody_by_person(acts, RECORDED)


# A single save refreshes one person or two (an act moved to another victim): their acts are
# read by a statement compiled once per process, database and number of persons
# (``vigil.core.statements``); building the query with its four ceilings' EXISTS anew was
# most of a refresh's CPU.
_SAVED_MAX = 2
_SAVED: dict[int, Statement] = {}


def _saved_acts(count: int) -> Statement:
    found = _SAVED.get(count)
    if found is None:
        victim = Act._meta.get_field("victim_person")
        found = _SAVED[count] = Statement(
            Act,
            [victim] * count,
            lambda *ids: acts_facts_seen_query(
                Act.all_objects.filter(victim_person_id__in=ids),
                [_visible_acts(level) for level in CEILINGS],
            ),
        )
    return found


def derived_at_every_ceiling(person_ids: Iterable[Any]) -> dict[str, dict[Any, CustodyState]]:
    """:func:`derived_at` for every ceiling, reading the acts once.

    One query reads the acts' facts and, for each ceiling, whether it sees the act (the
    ceiling's own filter, :func:`_visible_acts`, as an ``EXISTS`` on the act's key); a person
    is derived once per distinct set of visible acts (usually one set for every ceiling), from
    the same facts in the same order.
    """
    ids = list(person_ids)
    if 0 < len(ids) <= _SAVED_MAX:
        rows = list(facts_seen_rows(_saved_acts(len(ids)).rows(*ids)))
    else:
        rows = list(
            acts_facts_seen(
                Act.all_objects.filter(victim_person_id__in=ids),
                [_visible_acts(level) for level in CEILINGS],
            )
        )
    derived: dict[tuple[Any, tuple[Any, ...]], CustodyState] = {}
    found: dict[str, dict[Any, CustodyState]] = {}
    for i, level in enumerate(CEILINGS):
        grouped: dict[Any, list[Any]] = {}
        for person_id, fact, seen in rows:
            if seen[i]:
                grouped.setdefault(person_id, []).append(fact)
        states: dict[Any, CustodyState] = {}
        for person_id, person_facts in grouped.items():
            key = (person_id, tuple(f.id for f in person_facts))
            state = derived.get(key)
            if state is None:
                state = derived[key] = derive(person_facts, RECORDED)
            states[person_id] = state
        found[level] = states
    return found


def refresh(person_ids: Iterable[Any]) -> int:
    """Recompute the stored custody of these persons at every ceiling; how many persons."""
    ids = sorted({pk for pk in person_ids if pk is not None}, key=str)
    for chunk in chunked(ids, CHUNK):
        rows = [
            new_record(
                StoredCustody,
                person_id=pk,
                ceiling=level,
                status=state.status.value,
                since=state.since,
                act_id=state.act_id,
                term_ends=state.term_ends,
            )
            for level, states in derived_at_every_ceiling(chunk).items()
            for pk, state in states.items()
            if state.status is not Custody.UNKNOWN
        ]
        # No savepoint inside a caller's transaction (an import's batch): see
        # ``bulk_create_records``; the caller's transaction still makes the pair atomic.
        with transaction.atomic(savepoint=False):
            StoredCustody.objects.filter(person_id__in=chunk).delete()
            insert_plain(rows)
    return len(ids)


def rebuild(progress: Callable[[int, int], None] | None = None) -> int:
    """Recompute the stored custody of every person (``vigil custody rebuild``)."""
    with_acts = Act.all_objects.filter(victim_person__isnull=False)
    ids = sorted(set(with_acts.values_list("victim_person_id", flat=True)), key=str)
    StoredCustody.objects.exclude(person_id__in=ids).delete() if len(ids) < 900 else _drop_stale()
    done = 0
    for chunk in chunked(ids, 2000):
        done += refresh(chunk)
        if progress is not None:
            progress(done, len(ids))
    return done


_STATE_COLUMNS = ("person_id", "status", "since", "act_id", "term_ends")
# A page's persons (a list's 25 or 100, a search's 50): their rows are read by a statement
# compiled once per process, database and number of persons (``vigil.core.statements``).
_LISTED_MAX = 100
_LISTED: dict[int, Statement] = {}


def _listed(count: int) -> Statement:
    found = _LISTED.get(count)
    if found is None:
        fields = StoredCustody._meta.get_field("ceiling"), StoredCustody._meta.get_field("person")
        found = _LISTED[count] = Statement(
            StoredCustody,
            [fields[0], *[fields[1]] * count],
            lambda level, *ids: StoredCustody.objects.filter(ceiling=level, person_id__in=ids)
            .order_by()
            .values_list(*_STATE_COLUMNS),
        )
    return found


def stored_at(
    level: str,
    person_ids: Iterable[Any] | QuerySet[Any] | None = None,
    today: dt.date | None = None,
) -> dict[Any, CustodyState]:
    """The stored custody at ``level`` of these persons (all persons: None; ids: a list or a
    subquery), as of ``today``."""
    # The queryset is built only when it reads: a page's ids (the list's and the search's 25)
    # read through the compiled statement, and building the filter cost more than its read.
    if person_ids is not None:
        ids = person_ids if isinstance(person_ids, QuerySet) else list(person_ids)
        if isinstance(ids, list) and 0 < len(ids) <= _LISTED_MAX:
            found = _listed(len(ids)).rows(level, *ids)
        else:
            rows = StoredCustody.objects.filter(ceiling=level, person_id__in=ids)
            found = list(rows.values_list(*_STATE_COLUMNS))
    else:
        found = list(StoredCustody.objects.filter(ceiling=level).values_list(*_STATE_COLUMNS))
    day = today or dt.date.today()  # one day for every row
    return {
        person: as_of(CustodyState(Custody(status), since, act, ends), day)
        for person, status, since, act, ends in found
    }


def counts_at(level: str, today: dt.date | None = None) -> dict[str, int]:
    """``custody_counts`` of every person's stored custody at ``level`` as of ``today``, tallied
    by the database: the states :func:`stored_at` gives (``as_of``: a served term that has
    ended is "term ended"), without reading a row a person."""
    day = today or dt.date.today()
    ended = Q(status__in=[s.value for s in SERVING], term_ends__lt=day)
    shown = Case(
        When(ended, then=Value(Custody.TERM_ENDED.value)),
        default=F("status"),
        output_field=CharField(),
    )
    rows = (
        StoredCustody.objects.filter(ceiling=level)
        .annotate(shown=shown)
        .values_list("shown")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return counted(dict(rows))


def state_filter(level: str, status: str, today: dt.date | None = None) -> Q:
    """Stored rows at ``level`` whose state as of ``today`` is ``status`` (not ``unknown``)."""
    day = today or dt.date.today()
    serving = [s.value for s in SERVING]
    at = Q(ceiling=level)
    if status == Custody.TERM_ENDED.value:
        return at & Q(status__in=serving, term_ends__lt=day)
    if status in serving:
        return at & Q(status=status) & (Q(term_ends__isnull=True) | Q(term_ends__gte=day))
    return at & Q(status=status)


def filter_stored(
    level: str, persons: QuerySet[Person], status: str, today: dt.date | None = None
) -> QuerySet[Person]:
    """``persons`` whose stored custody at ``level`` is ``status`` as of ``today``."""
    if status == Custody.UNKNOWN.value:
        found = StoredCustody.objects.filter(ceiling=level, person=OuterRef("pk"))
        return persons.filter(~Exists(found))
    if status not in {c.value for c in Custody}:
        return persons.none()
    matching = StoredCustody.objects.filter(state_filter(level, status, today))
    # A list of ids from the (ceiling, status, term_ends) index drives the query.
    return persons.filter(pk__in=matching.values("person_id"))


def _drop_stale() -> None:
    """Delete the rows of persons no act names any more (a rebuild's first step)."""
    named = Act.all_objects.filter(victim_person__isnull=False).values("victim_person_id")
    StoredCustody.objects.exclude(person_id__in=named).delete()


def fill_after_migrate(*args: Any, **kwargs: Any) -> None:
    """Fill an empty store on a database with acts (the first migrate after upgrading)."""
    if StoredCustody.objects.exists():
        return
    if not Act.objects.filter(victim_person__isnull=False).exists():
        return
    rebuild()
