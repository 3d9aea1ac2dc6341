"""What the record holds about one victim, with the claims behind each fact."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q

from vigil.core.errors import ValidationFailed
from vigil.records.custody import ORDER, CustodyState, custody_of
from vigil.records.models import (
    Act,
    ActCharge,
    Counsel,
    Information,
    Intervention,
    Involvement,
    Participant,
    Person,
    PersonName,
    Profession,
)
from vigil.records.timeline import timeline_for

Infos = list[Information]


@dataclass
class ActFacts:
    """One act of the victim with its charges, perpetrators, counsel and supporting claims."""

    act: Act
    infos: Infos
    charges: list[tuple[ActCharge, Infos]]
    perpetrators: list[Involvement]
    counsel: list[Counsel]
    participants: list[Participant]

    @property
    def kind(self) -> str:
        return self.act.act_type.key


@dataclass
class CaseFacts:
    """The victim's identity, acts in order, custody and the interventions about them."""

    person: Person
    person_infos: Infos
    names: list[tuple[PersonName, Infos]]
    professions: list[tuple[Profession, Infos]]
    acts: list[ActFacts]
    custody: CustodyState
    interventions: list[tuple[Intervention, Infos]] = field(default_factory=list)

    def of_kind(self, *kinds: str) -> list[ActFacts]:
        """The acts of the given types, oldest first."""
        return [a for a in self.acts if a.kind in kinds]

    def charges(self) -> list[tuple[ActFacts, ActCharge, Infos]]:
        """Every charge on any act, each provision once (first act that cites it)."""
        seen: set[Any] = set()
        found = []
        for act in self.acts:
            for charge, infos in act.charges:
                if charge.provision_id not in seen:
                    seen.add(charge.provision_id)
                    found.append((act, charge, infos))
        return found


def infos_on(objs: Iterable[Model]) -> dict[Any, Infos]:
    """Information rows on the given records (of one model), by target id."""
    items = list(objs)
    if not items:
        return {}
    ct = ContentType.objects.get_for_model(type(items[0]))
    found: dict[Any, Infos] = defaultdict(list)
    rows = (
        Information.objects.filter(target_type=ct, target_id__in=[o.pk for o in items])
        .select_related("source", "source__reliability", "reliability")
        .order_by("source__title", "claim_kind", "id")
    )
    for info in rows:
        found[info.target_id].append(info)
    return found


def refuse_synthetic(person: Person) -> None:
    """Drafts are about real people only: a synthetic (demo) person is refused."""
    if person.is_synthetic:
        raise ValidationFailed(
            f"{person.display_name} is a synthetic demo person; drafts are never produced "
            "for synthetic records"
        )
    if person.deleted_at is not None:
        raise ValidationFailed(f"{person.display_name} is deleted; no draft is produced")


def _when(act: Act) -> dt.date:
    return act.date or act.date_end or dt.date.max


def _real(obj: Any) -> bool:
    return obj is None or not getattr(obj, "is_synthetic", False)


def gather(person: Person) -> CaseFacts:
    """Collect the facts about ``person`` that a draft may state, each with its claims."""
    refuse_synthetic(person)
    entries = [e for e in timeline_for(person) if not e.act.is_synthetic]
    # Undated acts go last (their place in time is unknown); "until" dates sort by their end.
    entries.sort(key=lambda e: (_when(e.act), ORDER.get(e.act.act_type.key, 5)))
    acts = [e.act for e in entries]
    on_events = infos_on({a.event_id: a.event for a in acts}.values())
    charges = [c for a in acts for c in a.charges.all() if not c.is_synthetic]
    on_charges = infos_on(charges)
    facts = []
    for entry in entries:
        act = entry.act
        own = {i.source_id for i in entry.sources}
        infos = list(entry.sources) + [
            i for i in on_events.get(act.event_id, []) if i.source_id not in own
        ]
        facts.append(
            ActFacts(
                act=act,
                infos=infos,
                charges=[
                    (c, on_charges.get(c.pk) or infos)
                    for c in act.charges.all()
                    if not c.is_synthetic
                ],
                perpetrators=[
                    inv
                    for inv in act.involvements.all()
                    if _real(inv.perpetrator_person) and _real(inv.perpetrator_organisation)
                ],
                counsel=[c for c in act.counsel.all() if _real(c.lawyer)],
                participants=[p for p in act.participants.all() if _real(p.person)],
            )
        )
    names = [n for n in person.names.all() if not n.is_synthetic]
    on_names = infos_on(names)
    professions = list(person.professions.select_related("profession").filter(is_synthetic=False))
    on_professions = infos_on(professions)
    return CaseFacts(
        person=person,
        person_infos=infos_on([person]).get(person.pk, []),
        names=[(n, on_names.get(n.pk, [])) for n in names],
        professions=[(p, on_professions.get(p.pk, [])) for p in professions],
        acts=facts,
        custody=custody_of(person),
        interventions=_interventions(person),
    )


def _interventions(person: Person) -> list[tuple[Intervention, Infos]]:
    found = list(
        Intervention.objects.filter(Q(persons=person) | Q(acts__victim_person=person))
        .filter(is_synthetic=False)
        .select_related("intervention_type", "party", "status", "state_response")
        .distinct()
        .order_by("date", "created_at")
    )
    on = infos_on(found)
    return [(i, on.get(i.pk, [])) for i in found]
