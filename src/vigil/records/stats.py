"""Counts of the record: the first thing a user wants after an import."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet

from vigil.records.custody import CustodyState, custody_by_person, custody_counts
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
from vigil.records.visible import visible

if TYPE_CHECKING:
    from vigil.accounts.types import User


def record_stats(
    *,
    include_synthetic: bool = True,
    user: User | None = None,
    custody: dict[Any, CustodyState] | None = None,
) -> dict[str, Any]:
    """Counts of persons, organisations, events, acts by type, provisions, roles, custody.

    ``user`` narrows every count to what that user may view (:func:`vigil.records.visible.
    visible`), so a user never learns how many records are hidden from them; None counts the
    whole record (tests and figures that read everything). ``custody``: the states
    ``custody_by_person`` derived from these same acts, when the caller has them already.
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
    states = custody if custody is not None else custody_by_person(acts)
    return {
        "persons": real(Person.objects.all()).count(),
        "persons_synthetic": seen(Person.objects.filter(is_synthetic=True)).count(),
        "persons_name_withheld": real(Person.objects.filter(name_withheld=True)).count(),
        "organisations": real(Organisation.objects.all()).count(),
        "events": real(Event.objects.all()).count(),
        "acts": acts.count(),
        "acts_by_type": by_type,
        "legal_provisions": seen(LegalProvision.objects.all()).count(),
        "perpetrators_by_role": roles,
        "participants_unconfirmed": real(Participant.objects.filter(confirmed_role="")).count(),
        "sources": seen(Source.objects.all()).count(),
        "statistics": seen(Statistic.objects.all()).count(),
        # Persons by custody state (``records.custody``): "in_custody" never includes
        # "term_ended_release_not_recorded".
        "custody": custody_counts(states.values()),
    }
