"""Custody status in SQL: the same rule as ``records.custody``, for filtering whole lists.

SQL finds each person's latest act that decides custody; whether a recorded term has ended
(in custody or restricted liberty, or term ended with no release recorded) needs date
arithmetic over the custody's start, so for those states the candidates are handed to
``records.custody`` itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import (
    Case,
    CharField,
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

from vigil.policy.access import exact_ceiling, restrict
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
from vigil.records.custody_store import filter_stored
from vigil.records.models import Act, Person

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
