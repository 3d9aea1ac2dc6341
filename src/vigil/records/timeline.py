"""A person's timeline: their acts in order, with charges, perpetrators, counsel and sources."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType

from vigil.records.act_rows import ACT_RELATED
from vigil.records.custody import ORDER
from vigil.records.dates import date_sort_key
from vigil.records.models import Act, Information, Person


@dataclass
class TimelineEntry:
    act: Act
    sources: list[Information] = field(default_factory=list)


def timeline_for(person: Person) -> list[TimelineEntry]:
    """The person's acts, oldest first, each with what supports it."""
    acts = list(
        Act.objects.filter(victim_person=person)
        .select_related(*ACT_RELATED)
        .prefetch_related(
            "charges__provision",
            "involvements__perpetrator_person",
            "involvements__perpetrator_organisation",
            "involvements__role",
            "counsel__lawyer",
            "participants__person",
        )
    )
    # Undated acts after every dated one (date_sort_key), never first.
    acts.sort(key=lambda a: (date_sort_key(a.date, a.date_end), ORDER.get(a.act_type.key, 5)))
    info = _information_for(acts)
    return [TimelineEntry(act, info.get(act.pk, [])) for act in acts]


def _information_for(acts: list[Act]) -> dict[Any, list[Information]]:
    if not acts:
        return {}
    ct = ContentType.objects.get_for_model(Act)
    found: dict[Any, list[Information]] = {}
    for item in Information.objects.filter(
        target_type=ct, target_id__in=[a.pk for a in acts]
    ).select_related("source", "source__reliability"):
        found.setdefault(item.target_id, []).append(item)
    return found
