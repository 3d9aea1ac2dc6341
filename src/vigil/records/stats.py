"""Counts of the record: the first thing a user wants after an import."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count

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
)


def record_stats(*, include_synthetic: bool = True) -> dict[str, Any]:
    """Counts of persons, organisations, events, acts by type, provisions, roles, custody."""

    def scope(qs: Any) -> Any:
        return qs if include_synthetic else qs.filter(is_synthetic=False)

    acts = scope(Act.objects.all())
    by_type = dict(
        acts.values_list("act_type__key").annotate(n=Count("id")).order_by("act_type__key")
    )
    roles = {
        key: persons + organisations
        for key, persons, organisations in scope(Involvement.objects.all())
        .values_list("role__key")
        .annotate(
            p=Count("perpetrator_person", distinct=True),
            o=Count("perpetrator_organisation", distinct=True),
        )
        .order_by("role__key")
    }
    custody = Counter(state.status.value for state in custody_by_person(acts).values())
    return {
        "persons": scope(Person.objects.all()).count(),
        "persons_synthetic": Person.objects.filter(is_synthetic=True).count(),
        "persons_name_withheld": scope(Person.objects.filter(name_withheld=True)).count(),
        "organisations": scope(Organisation.objects.all()).count(),
        "events": scope(Event.objects.all()).count(),
        "acts": acts.count(),
        "acts_by_type": by_type,
        "legal_provisions": LegalProvision.objects.count(),
        "perpetrators_by_role": roles,
        "participants_unconfirmed": scope(Participant.objects.filter(confirmed_role="")).count(),
        "sources": Source.objects.count(),
        "statistics": Statistic.objects.count(),
        "custody": {
            "in_custody": custody.get(Custody.IN_CUSTODY.value, 0),
            "restricted_liberty": custody.get(Custody.RESTRICTED.value, 0),
            "not_in_custody": custody.get(Custody.NOT_IN_CUSTODY.value, 0),
            "died_in_custody": custody.get(Custody.DIED_IN_CUSTODY.value, 0),
        },
    }
