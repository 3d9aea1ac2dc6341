"""Counts of the record: the first thing a user wants after an import."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet

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


def record_stats(*, include_synthetic: bool = True, user: User | None = None) -> dict[str, Any]:
    """Counts of persons, organisations, events, acts by type, provisions, roles, custody.

    ``user`` narrows every count to what that user may view (:func:`vigil.records.visible.
    visible`), so a user never learns how many records are hidden from them; None counts the
    whole record (tests and figures that read everything). Custody is counted from the acts
    counted here: a user's from the stored custody (:func:`custody_counts_seen_by`, derived
    from the acts the user may view), the whole record's or the real records' alone derived
    from those acts.
    """

    def seen(qs: QuerySet[Any]) -> QuerySet[Any]:
        return visible(user, qs) if user is not None else qs

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
    if user is not None and include_synthetic:
        custody = custody_counts_seen_by(user)
    else:
        custody = custody_counts(custody_by_person(acts).values())
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
        "legal_provisions": seen(LegalProvision.objects.all()).count(),
        "perpetrators_by_role": roles,
        "participants_unconfirmed": real(Participant.objects.filter(confirmed_role="")).count(),
        "sources": seen(Source.objects.all()).count(),
        "statistics": seen(Statistic.objects.all()).count(),
        # Persons by custody state (``records.custody``): "in_custody" never includes
        # "term_ended_release_not_recorded".
        "custody": custody,
    }
