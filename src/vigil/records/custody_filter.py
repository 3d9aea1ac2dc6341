"""Custody status in SQL: the same rule as ``records.custody``, for filtering whole lists.

SQL finds each person's latest act that decides custody; whether a recorded term has ended
(in custody or restricted liberty, or term ended with no release recorded) needs date
arithmetic over the custody's start, so for those states the candidates are handed to
``records.custody`` itself.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import connection, router
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from vigil.policy.access import exact_ceiling, restrict, restrict_to_ceiling
from vigil.records.act_victims import driven_by_acts
from vigil.records.count_changes import kept
from vigil.records.custody import (
    DETAINING,
    ENDING,
    ORDER,
    RESTRICTING,
    SENTENCING,
    SERVING,
    Custody,
    custody_by_person,
)
from vigil.records.custody_store import filter_stored, state_filter
from vigil.records.models import Act, Person, StoredCustody

if TYPE_CHECKING:
    from vigil.accounts.types import User

_KIND = "act_type__key"


def _effect() -> Case:
    """What an act does to custody (``records.custody._effect``), NULL when nothing."""
    sentencing = Q(**{f"{_KIND}__in": SENTENCING})
    return Case(
        When(Q(**{_KIND: "death_in_custody"}), then=Value(Custody.DIED_IN_CUSTODY.value)),
        When(Q(**{f"{_KIND}__in": DETAINING}), then=Value(Custody.IN_CUSTODY.value)),
        When(Q(**{f"{_KIND}__in": RESTRICTING}), then=Value(Custody.RESTRICTED.value)),
        When(Q(**{f"{_KIND}__in": ENDING}), then=Value(Custody.NOT_IN_CUSTODY.value)),
        When(
            sentencing & Q(restriction_measure__isnull=False), then=Value(Custody.RESTRICTED.value)
        ),
        When(
            sentencing
            & (
                Q(sentence_regime__isnull=False)
                | (Q(sentence_months__isnull=False) & ~Q(sentence_months=0) & Q(suspended=False))
            ),
            then=Value(Custody.IN_CUSTODY.value),
        ),
        When(sentencing & Q(suspended=True), then=Value(Custody.NOT_IN_CUSTODY.value)),
        # A fine alone (no regime, no term, not suspended: the cases above) ends custody.
        When(sentencing & Q(fine_amount__isnull=False), then=Value(Custody.NOT_IN_CUSTODY.value)),
        default=Value(None),
        output_field=CharField(),
    )


def _same_day_order() -> Case:
    return Case(
        *[When(Q(**{_KIND: kind}), then=Value(n)) for kind, n in ORDER.items()],
        default=Value(5),
        output_field=IntegerField(),
    )


def latest_effect(user: User) -> Subquery:
    """Per outer person: the custody effect of their latest effective act ``user`` may view."""
    acts = (
        restrict(user, "view", Act.objects.filter(victim_person=OuterRef("pk")))
        .annotate(effect=_effect(), same_day=_same_day_order(), at=Coalesce("date", "date_end"))
        .filter(effect__isnull=False)
        # As in the Python rule: an act known only by its end sits there; undated ones first
        # in that rule, so last here.
        .order_by(F("at").desc(nulls_last=True), "-same_day", "-created_at", "-id")
        .values("effect")[:1]
    )
    return Subquery(acts, output_field=CharField())


def with_custody(user: User, persons: QuerySet[Person]) -> QuerySet[Person]:
    """``persons`` annotated with ``custody_status`` (NULL: no act decides it)."""
    return persons.annotate(custody_status=latest_effect(user))


# States that depend on whether a recorded term has ended: ``records.custody.derive`` decides,
# among the persons whose latest deciding act (in SQL) holds them or restricts their liberty.
_BY_TERM = {Custody.IN_CUSTODY.value, Custody.RESTRICTED.value, Custody.TERM_ENDED.value}
_SERVING = [s.value for s in SERVING]


def filter_custody(user: User, persons: QuerySet[Person], status: str) -> QuerySet[Person]:
    """``persons`` whose derived custody (from acts ``user`` may view) is ``status``.

    The stored custody at the user's ceiling when that is exactly what the user sees
    (``records.custody_store``); else derived from the acts here.
    """
    level = exact_ceiling(user)
    if level is not None:
        return filter_stored(level, persons, status)
    # (Any: the plugin does not see with_custody's custody_status annotation.)
    annotated: QuerySet[Any] = with_custody(user, persons)
    if status == Custody.UNKNOWN.value:
        return annotated.filter(custody_status__isnull=True)
    if status in _BY_TERM:
        candidates = annotated.filter(custody_status__in=_SERVING)
        acts = restrict(user, "view", Act.objects.filter(victim_person__in=candidates.values("pk")))
        wanted = [pk for pk, s in custody_by_person(acts).items() if s.status.value == status]
        return persons.filter(pk__in=wanted)
    return annotated.filter(custody_status=status)


def first_by_name(user: User, status: str, limit: int = 10) -> list[Person]:
    """Up to ``limit`` persons ``user`` may view, by name, whose custody derived from the acts
    ``user`` may view is ``status`` (the home page's work lists).

    When the user's view is exactly a ceiling, the persons' keys are read from the stored
    custody at that ceiling (:func:`filter_stored`) and kept per ceiling, state and day until
    a write changes the persons or the stored custody (:func:`vigil.records.count_changes.
    kept`; a term that ended yesterday is read again today); the persons are then read by
    those keys through the user's policy. Any other user: :func:`filter_custody`.
    """
    persons = restrict(user, "view", Person.objects.all())
    level = exact_ceiling(user)
    if level is None:
        return list(filter_custody(user, persons, status).order_by("display_name", "pk")[:limit])
    day = dt.date.today()

    def keys() -> list[Any]:
        at_ceiling = filter_stored(
            level, restrict_to_ceiling(level, Person.objects.all()), status, day
        )
        return list(at_ceiling.order_by("display_name", "pk").values_list("pk", flat=True)[:limit])

    alias = router.db_for_read(Person) or "default"
    found = kept(alias, ("first_by_name", level, status, day, limit), keys)
    if not found:
        return []
    return list(persons.filter(pk__in=found).order_by("display_name", "pk"))


# Choosing how SQLite reads "custody is S and some act matches" for a page sorted by an indexed
# column (name, birth date, last change; issue 14 §2). Driven by the stored custody, every
# candidate's acts are probed and the matches sorted: the cost grows with the candidates.
# Driven by the persons' index in the page's order, the scan stops once the page is full: the
# cost grows with how far the page lies, divided by how dense the matches are. Costs per
# candidate probed and per person scanned, measured on encrypted SQLite at 100k persons (34 and
# 20 µs); the sample sets the density.
FEW_CANDIDATES = 1000
DENSITY_SAMPLE = 200
# Fewer matching acts than this (and at least FEW_CANDIDATES candidates): the acts drive.
SPARSE_ACTS = 50
PROBE_COST = 34
SCAN_COST = 20


def custody_with_acts(
    user: User,
    persons: QuerySet[Person],
    status: str,
    acts: QuerySet[Act],
    rows_in_order: int | None = None,
    listed: QuerySet[Act] | None = None,
) -> QuerySet[Person]:
    """``persons`` whose custody (as :func:`filter_custody`) is ``status`` and who are the victim
    of at least one of ``acts``. The same persons whatever the SQL's shape.

    ``rows_in_order``: the rows a page sorted by an indexed column needs (its last row's
    position); given, on SQLite the query may scan persons in that order and probe each one's
    stored custody,
    when the sampled density of matches says that reads less than probing every candidate.
    ``listed``: the same acts in SQL shaped for reading all of them
    (``act_queries.matching_acts``; ``acts`` is shaped for probing a person's); given, on
    SQLite a sparse act filter drives: its acts' victims are read and each one's stored custody
    probed.
    """
    matched = Exists(acts.filter(victim_person=OuterRef("pk")))
    level = exact_ceiling(user)
    if (
        level is not None
        and rows_in_order is not None
        and _name_scan_pays(level, persons, status, acts, rows_in_order)
    ):
        stored = StoredCustody.objects.filter(state_filter(level, status), person=OuterRef("pk"))
        return persons.filter(Exists(stored)).filter(matched)
    if level is not None and listed is not None and _acts_drive(level, persons, status, acts):
        stored = StoredCustody.objects.filter(state_filter(level, status), person=OuterRef("pk"))
        return driven_by_acts(persons, listed).filter(Exists(stored))
    # The custody filter drives (a list of person ids from the stored custody); each
    # candidate's acts are then probed by key: `IN (acts)` read every matching act.
    return filter_custody(user, persons, status).filter(matched)


def name_order_plans() -> bool:
    """Whether :func:`custody_with_acts` may read a page in its index's order on this database
    (SQLite; PostgreSQL's planner weighs this itself from its statistics)."""
    return connection.vendor == "sqlite"


def _acts_drive(level: str, persons: QuerySet[Person], status: str, acts: QuerySet[Act]) -> bool:
    """Whether reading the matching acts' victims reads less than probing the acts of every
    candidate of the stored custody (an act filter that few persons match; SQLite only)."""
    if not name_order_plans() or status == Custody.UNKNOWN.value:
        return False
    if status not in {c.value for c in Custody}:
        return False
    candidates = StoredCustody.objects.filter(state_filter(level, status)).count()
    if candidates < FEW_CANDIDATES:
        return False
    # Counted up to a bound, the acts tell a sparse filter at the cost of reading that many (a
    # sampled share of persons cost more than it saved on a dense filter's page).
    return acts.order_by().values("pk")[:SPARSE_ACTS].count() < SPARSE_ACTS


def _name_scan_pays(
    level: str, persons: QuerySet[Person], status: str, acts: QuerySet[Act], rows: int
) -> bool:
    """Whether scanning persons in order until ``rows`` match reads less than probing every
    candidate (SQLite only: PostgreSQL's planner weighs this itself from its statistics)."""
    if not name_order_plans() or status == Custody.UNKNOWN.value:
        return False
    if status not in {c.value for c in Custody}:
        return False
    stored = StoredCustody.objects.filter(state_filter(level, status))
    candidates = stored.count()
    if candidates < FEW_CANDIDATES:
        return False
    size, hits = _sampled_density(level, persons, status, acts)
    if hits == 0:
        return False
    # Persons scanned before the page is full, if matches are spread evenly in that order.
    scanned = rows * size / hits
    return scanned * SCAN_COST <= candidates * PROBE_COST


def _sampled_density(
    level: str, persons: QuerySet[Person], status: str, acts: QuerySet[Act]
) -> tuple[int, int]:
    """A sample of the list's persons and how many of them are in ``status`` with a matching
    act: the first and the last by name, as ``act_victims.estimate`` samples — the rows a scan
    in name order reads first.

    Not the first candidates by id: the demo's synthetic persons have ordered ids (one prefix
    and a counter), so the first persons in custody by id are the seed's and the sample's,
    whose acts are not those of the rest.
    """
    half = DENSITY_SAMPLE // 2
    first = persons.order_by("display_name", "pk").values("pk")[:half]
    last = persons.order_by("-display_name", "-pk").values("pk")[:half]
    sample = persons.filter(Q(pk__in=first) | Q(pk__in=last)).order_by()
    stored = StoredCustody.objects.filter(state_filter(level, status), person=OuterRef("pk"))
    matched = Exists(acts.filter(victim_person=OuterRef("pk")))
    found = sample.aggregate(
        size=Count("pk"), hits=Count("pk", filter=Q(Exists(stored)) & Q(matched))
    )
    return int(found["size"]), int(found["hits"])
