"""Which sources stand behind a figure: the sources of the counted records, within scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from vigil.records.models import Act, Event, Information, Source
from vigil.reports.scope import Scope

SHOWN = 3


@dataclass(frozen=True)
class Attribution:
    """The sources a figure rests on: how many, and the first few titles (or addresses)."""

    count: int
    names: tuple[str, ...] = field(default_factory=tuple)
    lead: str = "Vigil record"

    def text(self) -> str:
        """One line naming the sources ("Vigil record: 3 sources — A; B; C")."""
        if not self.count:
            return f"{self.lead}: no source is linked to these records"
        shown = "; ".join(self.names)
        more = f" and {self.count - len(self.names)} more" if self.count > len(self.names) else ""
        noun = "source" if self.count == 1 else "sources"
        return f"{self.lead}: {self.count} {noun} — {shown}{more}"


def _named(sources: Any, lead: str) -> Attribution:
    sources = sources.order_by("title")
    names = tuple(s.url or s.title for s in sources[:SHOWN])
    return Attribution(sources.count(), names, lead)


def sources_of_acts(acts: Any, scope: Scope, lead: str = "Vigil record") -> Attribution:
    """The in-scope sources supporting ``acts`` (a queryset), directly or through their event."""
    act_ct = ContentType.objects.get_for_model(Act)
    event_ct = ContentType.objects.get_for_model(Event)
    act_ids = acts.values("pk")
    event_ids = Act.all_objects.filter(pk__in=act_ids).values("event_id")
    infos = scope.apply(
        Information.all_objects.filter(
            Q(target_type=act_ct, target_id__in=act_ids)
            | Q(target_type=event_ct, target_id__in=event_ids)
        )
    )
    sources = scope.apply(Source.all_objects.filter(pk__in=infos.values("source_id")))
    return _named(sources, lead)


def sources_of(model: Any, records: Any, scope: Scope, lead: str = "Vigil record") -> Attribution:
    """The in-scope sources linked by Information to ``records`` of ``model``."""
    ct = ContentType.objects.get_for_model(model)
    infos = scope.apply(
        Information.all_objects.filter(target_type=ct, target_id__in=records.values("pk"))
    )
    direct = Q(pk__in=infos.values("source_id"))
    if any(f.name == "source" for f in model._meta.concrete_fields):
        direct |= Q(pk__in=records.values("source_id"))
    return _named(scope.apply(Source.all_objects.filter(direct)), lead)
