"""Counts of the record: the first thing a user wants after an import."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import router
from django.db.models import Count, QuerySet

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


def _counts(
    seen: Callable[[QuerySet[Any]], QuerySet[Any]], include_synthetic: bool
) -> dict[str, Any]:
    """The counts of the records ``seen`` keeps (every figure of :func:`record_stats` but the
    legal provisions and custody): the one definition, whoever reads it."""

    def real(qs: QuerySet[Any]) -> QuerySet[Any]:
        qs = seen(qs)
        return qs if include_synthetic else qs.filter(is_synthetic=False)

    acts = real(Act.objects.all())
    by_type = dict(
        acts.values_list("act_type__key").annotate(n=Count("id")).order_by("act_type__key")
    )
    roles = {
        key: persons + organisations
        for key, persons, organisations in real(Involvement.objects.all())
        .values_list("role__key")
        .annotate(
            p=Count("perpetrator_person", distinct=True),
            o=Count("perpetrator_organisation", distinct=True),
        )
        .order_by("role__key")
    }
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

    def seen(qs: QuerySet[Any]) -> QuerySet[Any]:
        return restrict_to_ceiling(level, qs) if level is not None else qs

    alias = router.db_for_read(Act) or "default"
    key = ("record_stats", level, include_synthetic)
    return kept(alias, key, lambda: _counts(seen, include_synthetic))


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

    def seen(qs: QuerySet[Any]) -> QuerySet[Any]:
        return visible(user, qs) if user is not None else qs

    level = None if user is None or fresh else exact_ceiling_over(user, _COUNTED)
    if fresh or (user is not None and level is None):
        counts = _counts(seen, include_synthetic)
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
