"""Which sources stand behind a figure: the covered sources of the counted records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from vigil.records.models import Act, Event, Information, Source
from vigil.reports.coverage import Coverage

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
    # One query: a figure rests on few sources, and a second COUNT would repeat the scan.
    found = list(sources.order_by("title").values_list("url", "title"))
    return Attribution(len(found), tuple(url or title for url, title in found[:SHOWN]), lead)


def sources_of_acts(acts: Any, coverage: Coverage, lead: str = "Vigil record") -> Attribution:
    """The covered sources supporting ``acts`` (a queryset), directly or through their event."""
    source_ids: set[Any] = set()
    # Two lookups rather than one OR: each can then use the index on the claim's target.
    for model, targets in ((Act, acts.values("pk")), (Event, acts.values("event_id"))):
        ct = ContentType.objects.get_for_model(model)
        source_ids.update(
            coverage.apply(Information.all_objects.filter(target_type=ct, target_id__in=targets))
            .values_list("source_id", flat=True)
            .distinct()
        )
    return _named(coverage.apply(Source.all_objects.filter(pk__in=source_ids)), lead)


def sources_of(
    model: Any, records: Any, coverage: Coverage, lead: str = "Vigil record"
) -> Attribution:
    """The covered sources linked by Information to ``records`` of ``model``."""
    ct = ContentType.objects.get_for_model(model)
    infos = coverage.apply(
        Information.all_objects.filter(target_type=ct, target_id__in=records.values("pk"))
    )
    direct = Q(pk__in=infos.values("source_id"))
    if any(f.name == "source" for f in model._meta.concrete_fields):
        direct |= Q(pk__in=records.values("source_id"))
    return _named(coverage.apply(Source.all_objects.filter(direct)), lead)
