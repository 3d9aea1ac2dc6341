"""Everything the person page shows, gathered in a few queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from vigil.records.custody import CustodyState, custody_of
from vigil.records.dates import display_date
from vigil.records.models import (
    Act,
    Event,
    ExternalId,
    Information,
    Involvement,
    Participant,
    Person,
    PersonName,
)
from vigil.records.timeline import timeline_for
from vigil.web.changes import Change, changes_of


@dataclass
class ActView:
    """One act of the timeline with the sources on the act and on its event."""

    act: Act
    sources: list[Information] = field(default_factory=list)
    event_sources: list[Information] = field(default_factory=list)

    @property
    def unconfirmed(self) -> list[Participant]:
        """Participants the source names whose role nobody has confirmed."""
        return [p for p in self.act.participants.all() if not p.confirmed_role]

    @property
    def confirmed(self) -> list[Participant]:
        """Participants whose role an analyst has confirmed."""
        return [p for p in self.act.participants.all() if p.confirmed_role]


@dataclass
class Dossier:
    """The person page: identity, custody, timeline, perpetrator record and history."""

    person: Person
    birth_date: str
    names: list[PersonName]
    external_ids: list[ExternalId]
    custody: CustodyState
    person_sources: list[Information]
    timeline: list[ActView]
    perpetrator_in: list[Involvement]
    history: list[Change]


def information_on(objs: Iterable[Model]) -> dict[Any, list[Information]]:
    """Live Information rows on the given records (of one model), by target id."""
    items = list(objs)
    if not items:
        return {}
    ct = ContentType.objects.get_for_model(type(items[0]))
    found: dict[Any, list[Information]] = defaultdict(list)
    rows = (
        Information.objects.filter(target_type=ct, target_id__in=[o.pk for o in items])
        .select_related("source", "source__reliability", "source__source_type", "reliability")
        .order_by("source__title", "id")
    )
    for info in rows:
        found[info.target_id].append(info)
    return found


def perpetrator_record(person: Person) -> list[Involvement]:
    """The acts in which the person took part as a perpetrator, oldest first."""
    rows = (
        Involvement.objects.filter(perpetrator_person=person, act__deleted_at__isnull=True)
        .select_related(
            "role",
            "degree",
            "act__act_type",
            "act__victim_person",
            "act__victim_organisation",
            "act__sentence_regime",
            "act__restriction_measure",
        )
        .order_by("act__date", "act__created_at")
    )
    return list(rows)


def _timeline(person: Person) -> list[ActView]:
    entries = timeline_for(person)
    events: dict[Any, Event] = {e.act.event_id: e.act.event for e in entries}
    on_events = information_on(events.values())
    views = []
    for entry in entries:
        act_sources = {i.source_id for i in entry.sources}
        event_sources = [
            i for i in on_events.get(entry.act.event_id, []) if i.source_id not in act_sources
        ]
        views.append(ActView(entry.act, list(entry.sources), event_sources))
    return views


def successor_of(pk: Any) -> Any:
    """The id of the person a deleted record was merged into, or None."""
    return (
        Person.all_objects.filter(pk=pk, merged_into__isnull=False)
        .values_list("merged_into_id", flat=True)
        .first()
    )


def person_dossier(person: Person) -> Dossier:
    """Gather the person page of ``person``."""
    names = list(person.names.all())
    birth = display_date(person.birth_date, person.birth_date_precision)
    return Dossier(
        person=person,
        birth_date=birth if person.birth_date else "",
        names=names,
        external_ids=list(person.external_ids.order_by("scheme", "value")),
        custody=custody_of(person),
        person_sources=information_on([person]).get(person.pk, []),
        timeline=_timeline(person),
        perpetrator_in=perpetrator_record(person),
        history=changes_of([person, *names]),
    )
