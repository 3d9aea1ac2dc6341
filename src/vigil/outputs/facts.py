"""What the record holds about one victim, with the claims behind each fact."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Prefetch, Q

from vigil.core.errors import ValidationFailed
from vigil.records.custody import ORDER, CustodyState
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
from vigil.records.visible import custody_of, visible

if TYPE_CHECKING:
    from vigil.accounts.types import User

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
    user: User
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


def infos_on(user: User, objs: Iterable[Model]) -> dict[Any, Infos]:
    """Information rows ``user`` may view on the given records (of one model), by target id."""
    items = list(objs)
    if not items:
        return {}
    ct = ContentType.objects.get_for_model(type(items[0]))
    found: dict[Any, Infos] = defaultdict(list)
    rows = (
        visible(
            user, Information.objects.filter(target_type=ct, target_id__in=[o.pk for o in items])
        )
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


def _visible(user: User, queryset: Any) -> Any:
    """The real (not synthetic) records of ``queryset`` that ``user`` may view."""
    return visible(user, queryset.filter(is_synthetic=False))


def _acts(user: User, person: Person) -> list[Act]:
    """The victim's acts ``user`` may view, each with only what ``user`` may view attached."""
    acts = (
        _visible(user, Act.objects.filter(victim_person=person))
        .select_related("act_type", "place", "event", "sentence_regime", "restriction_measure")
        .prefetch_related(
            Prefetch("charges", _visible(user, ActCharge.objects.select_related("provision"))),
            Prefetch(
                "involvements",
                _visible(
                    user,
                    Involvement.objects.select_related(
                        "perpetrator_person", "perpetrator_organisation", "role"
                    ),
                ),
            ),
            Prefetch("counsel", _visible(user, Counsel.objects.select_related("lawyer"))),
            Prefetch("participants", _visible(user, Participant.objects.select_related("person"))),
        )
    )
    # Undated acts go last (their place in time is unknown); "until" dates sort by their end.
    return sorted(acts, key=lambda a: (_when(a), ORDER.get(a.act_type.key, 5)))


def gather(user: User, person: Person) -> CaseFacts:
    """Collect the facts about ``person`` that a draft for ``user`` may state, with claims.

    Every record is read through the policy: what ``user`` may not view is never stated,
    counted, cited or used to derive custody.
    """
    refuse_synthetic(person)
    acts = _acts(user, person)
    on_acts = infos_on(user, acts)
    on_events = infos_on(user, {a.event_id: a.event for a in acts if a.event_id}.values())
    charges = [c for a in acts for c in a.charges.all()]
    on_charges = infos_on(user, charges)
    facts = []
    for act in acts:
        own_infos = on_acts.get(act.pk, [])
        own = {i.source_id for i in own_infos}
        infos = list(own_infos) + [
            i for i in on_events.get(act.event_id, []) if i.source_id not in own
        ]
        facts.append(
            ActFacts(
                act=act,
                infos=infos,
                charges=[(c, on_charges.get(c.pk) or infos) for c in act.charges.all()],
                perpetrators=[
                    inv
                    for inv in act.involvements.all()
                    if _real(inv.perpetrator_person) and _real(inv.perpetrator_organisation)
                ],
                counsel=[c for c in act.counsel.all() if _real(c.lawyer)],
                participants=[p for p in act.participants.all() if _real(p.person)],
            )
        )
    names = list(_visible(user, person.names.all()))
    on_names = infos_on(user, names)
    professions = list(_visible(user, person.professions.select_related("profession")))
    on_professions = infos_on(user, professions)
    return CaseFacts(
        person=person,
        user=user,
        person_infos=infos_on(user, [person]).get(person.pk, []),
        names=[(n, on_names.get(n.pk, [])) for n in names],
        professions=[(p, on_professions.get(p.pk, [])) for p in professions],
        acts=facts,
        custody=custody_of(user, person),
        interventions=_interventions(user, person),
    )


def _interventions(user: User, person: Person) -> list[tuple[Intervention, Infos]]:
    seen_acts = visible(user, Act.objects.filter(victim_person=person))
    found = list(
        _visible(
            user,
            Intervention.objects.filter(Q(persons=person) | Q(acts__in=seen_acts.values("pk"))),
        )
        .select_related("intervention_type", "party", "status", "state_response")
        .distinct()
        .order_by("date", "created_at")
    )
    on = infos_on(user, found)
    return [(i, on.get(i.pk, [])) for i in found]
