"""Counts of the record: the first thing a user wants after an import."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Count, QuerySet
from django.db.models.expressions import RawSQL

from vigil.policy.access import exact_ceiling_over, restrict_to_ceiling
from vigil.records.count_changes import kept
from vigil.records.custody import custody_by_person, custody_counts
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
)
from vigil.records.visible import custody_counts_seen_by, visible

if TYPE_CHECKING:
    from vigil.accounts.types import User


# The records the cached counts read, by the policy's labels (the ceiling must be all a user
# sees of each of them for the cache to be theirs: ``exact_ceiling_over``).
_COUNTED = (
    "records.act",
    "records.involvement",
    "records.person",
    "records.organisation",
    "records.event",
    "records.participant",
    "records.source",
    "records.statistic",
)


class _Seen(Protocol):
    """What one reader sees of a queryset: ``checked_parents`` as
    :func:`vigil.policy.access.restrict`'s."""

    def __call__(
        self, queryset: QuerySet[Any], /, *, checked_parents: Iterable[str] = ()
    ) -> QuerySet[Any]: ...


# The acts one count found visible, listed once for both counts: a common table expression
# of the one statement that gives both (materialised: read once, used twice). Not a temporary
# table, which a read-only standby cannot make (`vigil stats` reads from the replica).
_VISIBLE_ACTS = "vigil_counted_acts"
_VISIBLE_ACT_IDS = f"SELECT id FROM {_VISIBLE_ACTS}"  # noqa: S608  # nosec B608


def _acts_and_perpetrators(
    seen: _Seen, include_synthetic: bool, *, restricted: bool
) -> tuple[dict[str, int], dict[str, int]]:
    """The visible acts by type and the perpetrators by role of the visible involvements.

    An involvement is visible when its own row and each of its parents are; its act's check
    is the same ``seen`` as the acts': so the acts ``seen`` keeps are listed once (their id,
    type and synthetic flag, a materialised common table expression) and the involvements are
    those ``seen`` keeps without checking their act again (``checked_parents=("act",)``) whose
    act is in that list — the same rows as ``seen(Involvement…)``, without ~220,000 more
    checks of an act at 100k (docs/benchmarks.md, "first visit after a write … twenty-first
    round"). Both counts come from one statement, so the list is made once.
    ``restricted`` False: ``seen`` checks nothing (the whole record), so neither does this —
    an involvement of a soft-deleted act is counted there, as ``Involvement.objects`` has it."""
    alias = router.db_for_read(Act) or "default"
    connection = connections[alias]
    acts = seen(Act.objects.order_by()).values("id", "act_type_id", "is_synthetic")
    if restricted:
        involvements = seen(Involvement.objects.all(), checked_parents=("act",)).filter(
            act_id__in=RawSQL(_VISIBLE_ACT_IDS, ())  # noqa: S611  # nosec B611
        )
    else:
        involvements = seen(Involvement.objects.all())
    if not include_synthetic:
        involvements = involvements.filter(is_synthetic=False)
    roles = (
        involvements.values_list("role__key")
        .annotate(
            p=Count("perpetrator_person", distinct=True),
            o=Count("perpetrator_organisation", distinct=True),
        )
        .order_by()
    )
    try:
        acts_sql, acts_params = acts.query.sql_with_params()
    except EmptyResultSet:  # a reader who may view no act: no act, and no involvement of one
        return {}, {}
    try:
        roles_sql, roles_params = roles.query.sql_with_params()
        with_roles = f" UNION ALL SELECT 1, r.* FROM ({roles_sql}) r"  # noqa: S608  # nosec B608
    except EmptyResultSet:  # one who may view acts but no involvement: the acts still count
        roles_params, with_roles = [], ""
    term = Act._meta.get_field("act_type").related_model
    assert term is not None and not isinstance(term, str)  # noqa: S101  # nosec B101
    term_table = connection.ops.quote_name(term._meta.db_table)
    real_only = "" if include_synthetic else " WHERE NOT a.is_synthetic"
    # Our own table names and the ORM's compiled statements; every value is a parameter.
    sql = (
        f"WITH {_VISIBLE_ACTS} AS MATERIALIZED ({acts_sql}) "  # noqa: S608  # nosec B608
        f"SELECT 0, t.key, COUNT(*), 0 FROM {_VISIBLE_ACTS} a"
        f" JOIN {term_table} t ON t.id = a.act_type_id{real_only} GROUP BY t.key{with_roles}"
    )
    by_type: dict[str, int] = {}
    by_role: dict[str, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*acts_params, *roles_params])
        for part, key, first, second in cursor.fetchall():
            if part == 0:
                by_type[key] = int(first)
            else:
                by_role[key] = int(first) + int(second)
    return dict(sorted(by_type.items())), dict(sorted(by_role.items()))


def _counts(seen: _Seen, include_synthetic: bool, *, restricted: bool = True) -> dict[str, Any]:
    """The counts of the records ``seen`` keeps (every figure of :func:`record_stats` but the
    legal provisions and custody): the one definition, whoever reads it."""

    def real(qs: QuerySet[Any]) -> QuerySet[Any]:
        qs = seen(qs)
        return qs if include_synthetic else qs.filter(is_synthetic=False)

    by_type, roles = _acts_and_perpetrators(seen, include_synthetic, restricted=restricted)
    return {
        "persons": real(Person.objects.all()).count(),
        "persons_synthetic": seen(Person.objects.filter(is_synthetic=True)).count(),
        "persons_name_withheld": real(Person.objects.filter(name_withheld=True)).count(),
        "organisations": real(Organisation.objects.all()).count(),
        "events": real(Event.objects.all()).count(),
        # Every act has a type (a required reference), so the acts are the types' sum: one
        # pass over the visible acts, not two (each a second at 300,000 acts).
        "acts": sum(by_type.values()),
        "acts_by_type": by_type,
        "perpetrators_by_role": roles,
        "participants_unconfirmed": real(Participant.objects.filter(confirmed_role="")).count(),
        "sources": seen(Source.objects.all()).count(),
        "statistics": seen(Statistic.objects.all()).count(),
    }


def _kept_counts(level: str | None, include_synthetic: bool) -> dict[str, Any]:
    """:func:`_counts` of what the ceiling ``level`` sees (None: every record), read again only
    after a write changed what they read (:func:`vigil.records.count_changes.kept`)."""

    def seen(qs: QuerySet[Any], *, checked_parents: Iterable[str] = ()) -> QuerySet[Any]:
        if level is None:
            return qs
        return restrict_to_ceiling(level, qs, checked_parents=checked_parents)

    alias = router.db_for_read(Act) or "default"
    key = ("record_stats", level, include_synthetic)
    return kept(alias, key, lambda: _counts(seen, include_synthetic, restricted=level is not None))


def record_stats(
    *, include_synthetic: bool = True, user: User | None = None, fresh: bool = False
) -> dict[str, Any]:
    """Counts of persons, organisations, events, acts by type, provisions, roles, custody.

    ``user`` narrows every count to what that user may view (:func:`vigil.records.visible.
    visible`), so a user never learns how many records are hidden from them; None counts the
    whole record (tests and figures that read everything). Custody is counted from the acts
    counted here: a user's from the stored custody (:func:`custody_counts_seen_by`, derived
    from the acts the user may view), the whole record's or the real records' alone derived
    from those acts.

    The counts of the records are the same for every user whose view of them is exactly one
    confidentiality ceiling (no grant, no record of their own above it:
    :func:`vigil.policy.access.exact_ceiling_over`), so they are read per ceiling and kept
    until a write changes what they read (:mod:`vigil.records.count_changes`); any other user's
    are counted through the policy each time. ``fresh``: counted now through the policy
    (``visible``), whoever the user is (checks and tests).
    """

    def seen(qs: QuerySet[Any], *, checked_parents: Iterable[str] = ()) -> QuerySet[Any]:
        return visible(user, qs, checked_parents=checked_parents) if user is not None else qs

    level = None if user is None or fresh else exact_ceiling_over(user, _COUNTED)
    if fresh or (user is not None and level is None):
        counts = _counts(seen, include_synthetic, restricted=user is not None)
    else:
        counts = _kept_counts(level, include_synthetic)
    if user is not None and include_synthetic:
        custody = custody_counts_seen_by(user)
    else:
        acts = seen(Act.objects.all())
        custody = custody_counts(
            custody_by_person(
                acts if include_synthetic else acts.filter(is_synthetic=False)
            ).values()
        )
    return {
        "persons": counts["persons"],
        "persons_synthetic": counts["persons_synthetic"],
        "persons_name_withheld": counts["persons_name_withheld"],
        "organisations": counts["organisations"],
        "events": counts["events"],
        "acts": counts["acts"],
        "acts_by_type": counts["acts_by_type"],
        "legal_provisions": seen(LegalProvision.objects.all()).count(),
        "perpetrators_by_role": counts["perpetrators_by_role"],
        "participants_unconfirmed": counts["participants_unconfirmed"],
        "sources": counts["sources"],
        "statistics": counts["statistics"],
        # Persons by custody state (``records.custody``): "in_custody" never includes
        # "term_ended_release_not_recorded".
        "custody": custody,
    }
