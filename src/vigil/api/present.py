"""Records as API output, every related collection filtered through the policy for one user."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models

from vigil.records.custody import ORDER, CustodyState
from vigil.records.dates import date_sort_key
from vigil.records.models import (
    Act,
    ActCharge,
    Counsel,
    Event,
    Involvement,
    Organisation,
    Participant,
    Person,
    PersonName,
    Profession,
    Term,
)
from vigil.records.visible import custody_seen_by, visible

if TYPE_CHECKING:
    from vigil.accounts.types import User

UNKNOWN_CUSTODY: dict[str, Any] = {
    "status": "unknown",
    "since": None,
    "term_ends": None,
    "term_expired_without_release": False,
}


def term_out(term: Term | None) -> dict[str, str] | None:
    """A term as ``{"key", "label"}``."""
    return None if term is None else {"key": term.key, "label": term.label_en or term.key}


def meta(obj: Any) -> dict[str, Any]:
    """The fields every record carries."""
    return {
        "id": obj.pk,
        "version": obj.version,
        "confidentiality": obj.confidentiality,
        "is_synthetic": obj.is_synthetic,
        "created_at": obj.created_at,
        "updated_at": obj.updated_at,
    }


class Visibility:
    """What one user may see, read once per request and reused across records."""

    def __init__(self, user: User) -> None:
        self.user = user
        self._ids: dict[type[models.Model], set[Any]] = {}

    def view(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        """The viewable part of ``queryset``."""
        return visible(self.user, queryset)

    def ids(self, model: type[models.Model], candidates: Iterable[Any]) -> set[Any]:
        """Which of ``candidates`` (ids of ``model``) the user may view."""
        wanted = {c for c in candidates if c is not None}
        known = self._ids.setdefault(model, set())
        unknown = wanted - known
        if unknown:
            found = self.view(model._default_manager.filter(pk__in=unknown))
            known |= set(found.values_list("pk", flat=True))
        return wanted & known

    def ref(self, model: type[models.Model], obj: Any) -> dict[str, Any] | None:
        """``{"id", "name"}`` of ``obj`` when the user may view it, else None."""
        if obj is None or obj.pk not in self.ids(model, [obj.pk]):
            return None
        return {"id": obj.pk, "name": str(obj)}

    def custody(self, person_ids: Iterable[Any]) -> dict[Any, CustodyState]:
        """Custody derived only from the acts the user may see (ids: a list or a subquery)."""
        return custody_seen_by(self.user, person_ids)


def custody_out(state: CustodyState | None) -> dict[str, Any]:
    """A custody state as output."""
    if state is None:
        return dict(UNKNOWN_CUSTODY)
    return {
        "status": state.status.value,
        "since": state.since,
        "term_ends": state.term_ends,
        "term_expired_without_release": state.term_expired_without_release,
    }


def person_summary(person: Person, custody: CustodyState | None) -> dict[str, Any]:
    """A person as a list item."""
    return {
        **meta(person),
        "display_name": person.display_name,
        "name_withheld": person.name_withheld,
        "sex": person.sex,
        "birth_date": person.birth_date,
        "birth_date_precision": person.birth_date_precision,
        "custody": custody_out(custody),
    }


def person_summaries(seen: Visibility, persons: list[Person]) -> list[dict[str, Any]]:
    """A page of persons with their custody."""
    custody = seen.custody(p.pk for p in persons)
    return [person_summary(p, custody.get(p.pk)) for p in persons]


def person_detail(seen: Visibility, person: Person) -> dict[str, Any]:
    """A person with the names, professions and timeline the user may see."""
    names = seen.view(PersonName.objects.filter(person=person)).order_by("-is_primary", "value")
    professions = seen.view(Profession.objects.filter(person=person)).select_related("profession")
    acts = list(seen.view(Act.objects.filter(victim_person=person)))
    acts.sort(
        key=lambda a: (
            date_sort_key(a.date, a.date_end),
            ORDER.get(a.act_type_id.split(".")[-1], 5),
        )
    )
    return {
        **person_summary(person, seen.custody([person.pk]).get(person.pk)),
        "birth_place": person.birth_place,
        "nationality": person.nationality,
        "notes": person.notes,
        "names": [name_out(n) for n in names],
        "professions": [
            {
                "id": p.pk,
                "profession": term_out(p.profession),
                "licence_number": p.licence_number,
                "licence_status": p.licence_status,
                "since": p.since,
                "until": p.until,
            }
            for p in professions
        ],
        "timeline": acts_out(seen, acts),
    }


def name_out(name: PersonName) -> dict[str, Any]:
    """A stored name."""
    return {
        "id": name.pk,
        "value": name.value,
        "script": name.script,
        "lang": name.lang,
        "kind": name.kind,
        "scheme": name.scheme,
        "is_primary": name.is_primary,
    }


def _by_act(queryset: models.QuerySet[Any]) -> dict[Any, list[Any]]:
    grouped: dict[Any, list[Any]] = defaultdict(list)
    for row in queryset:
        grouped[row.act_id].append(row)
    return grouped


def acts_out(seen: Visibility, acts: list[Act]) -> list[dict[str, Any]]:
    """Acts with their related rows, each collection restricted to what the user may see."""
    ids = [a.pk for a in acts]
    acts = list(
        Act.objects.filter(pk__in=ids).select_related(
            "act_type",
            "event",
            "victim_person",
            "victim_organisation",
            "place",
            "sentence_regime",
            "restriction_measure",
        )
    )
    order = {pk: i for i, pk in enumerate(ids)}
    acts.sort(key=lambda a: order[a.pk])
    charges = _by_act(
        seen.view(ActCharge.objects.filter(act_id__in=ids)).select_related("provision")
    )
    involvements = _by_act(
        seen.view(Involvement.objects.filter(act_id__in=ids)).select_related(
            "perpetrator_person", "perpetrator_organisation", "role", "degree"
        )
    )
    counsel = _by_act(seen.view(Counsel.objects.filter(act_id__in=ids)).select_related("lawyer"))
    participants = _by_act(
        seen.view(Participant.objects.filter(act_id__in=ids)).select_related("person")
    )
    return [
        _act_out(seen, a, charges[a.pk], involvements[a.pk], counsel[a.pk], participants[a.pk])
        for a in acts
    ]


def _act_out(
    seen: Visibility,
    act: Act,
    charges: list[ActCharge],
    involvements: list[Involvement],
    counsel: list[Counsel],
    participants: list[Participant],
) -> dict[str, Any]:
    return {
        **meta(act),
        "event": seen.ref(Event, act.event),
        "act_type": term_out(act.act_type),
        "victim_person": seen.ref(Person, act.victim_person),
        "victim_organisation": seen.ref(Organisation, act.victim_organisation),
        "date": act.date,
        "date_precision": act.date_precision,
        "date_end": act.date_end,
        "place": seen.ref(Organisation, act.place),
        "place_text": act.place_text,
        "status": act.status,
        "outcome": act.outcome,
        "description": act.description,
        "sentence_months": float(act.sentence_months) if act.sentence_months is not None else None,
        "sentence_regime": term_out(act.sentence_regime),
        "restriction_measure": term_out(act.restriction_measure),
        "suspended": act.suspended,
        "fine_amount": float(act.fine_amount) if act.fine_amount is not None else None,
        "fine_unit": act.fine_unit,
        "sentence_text": act.sentence_text,
        "source_status": act.source_status,
        "detention_days": act.detention_days,
        "known_since": act.known_since,
        "known_since_assumed": act.known_since_assumed,
        "charges": [
            {
                "id": c.pk,
                "provision": str(c.provision),
                "provision_id": c.provision_id,
                "code": c.provision.code,
                "article": c.provision.article,
                "part": c.provision.part,
                "point": c.provision.point,
                "title": c.provision.title,
                "inchoate": c.inchoate,
                "text_as_written": c.text_as_written,
            }
            for c in charges
        ],
        "perpetrators": [
            {
                "id": i.pk,
                "person": seen.ref(Person, i.perpetrator_person),
                "organisation": seen.ref(Organisation, i.perpetrator_organisation),
                "role": term_out(i.role),
                "degree": term_out(i.degree),
            }
            for i in involvements
        ],
        "counsel": [r for c in counsel if (r := seen.ref(Person, c.lawyer)) is not None],
        "participants": [
            {
                "id": p.pk,
                "person": seen.ref(Person, p.person),
                "name_text": p.name_text,
                "stated_role": p.stated_role,
                "confirmed_role": p.confirmed_role,
            }
            for p in participants
        ],
    }
