"""Names, organisations, events, cases, sources, citations and act rows as API output.

Each presenter takes a page of records and filters every related record through the policy
for the user; identity fields (a source's witness) are never part of the output.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.contenttypes.models import ContentType

from vigil.api.present import Visibility, meta, name_out, term_out
from vigil.records.dates import display_date
from vigil.records.models import (
    Act,
    ActCharge,
    Case,
    Counsel,
    Event,
    Evidence,
    Information,
    Intervention,
    Involvement,
    Organisation,
    OrganisationName,
    Person,
    PersonName,
    Source,
    Statistic,
)

TARGETS: dict[str, type[Any]] = {
    "person": Person,
    "organisation": Organisation,
    "event": Event,
    "act": Act,
    "case": Case,
    "intervention": Intervention,
    "statistic": Statistic,
}


def _name_fields(name: Any) -> dict[str, Any]:
    return {**meta(name), **name_out(name)}


def person_names_out(seen: Visibility, names: list[PersonName]) -> list[dict[str, Any]]:
    """Stored names of persons."""
    return [{**_name_fields(n), "person": seen.ref(Person, n.person)} for n in names]


def organisation_names_out(seen: Visibility, names: list[OrganisationName]) -> list[dict[str, Any]]:
    """Stored names of organisations."""
    return [
        {**_name_fields(n), "organisation": seen.ref(Organisation, n.organisation)} for n in names
    ]


def organisations_out(seen: Visibility, orgs: list[Organisation]) -> list[dict[str, Any]]:
    """Organisations with the names the user may see."""
    names: dict[Any, list[OrganisationName]] = defaultdict(list)
    visible_names = seen.view(OrganisationName.objects.filter(organisation__in=orgs))
    for name in visible_names.order_by("-is_primary", "value"):
        names[name.organisation_id].append(name)
    return [
        {
            **meta(o),
            "display_name": o.display_name,
            "kind": term_out(o.kind),
            "parent": seen.ref(Organisation, o.parent),
            "country": o.country,
            "notes": o.notes,
            "names": [_name_fields(n) for n in names[o.pk]],
        }
        for o in orgs
    ]


def _refs(seen: Visibility, queryset: Any) -> list[dict[str, Any]]:
    return [{"id": r.pk, "name": str(r)} for r in seen.view(queryset)]


def events_out(seen: Visibility, events: list[Event]) -> list[dict[str, Any]]:
    """Events with the acts and cases the user may see."""
    return [
        {
            **meta(e),
            "title": e.title,
            "description": e.description,
            "place": e.place,
            "country": e.country,
            "date": e.date,
            "date_precision": e.date_precision,
            "date_end": e.date_end,
            "date_display": display_date(e.date, e.date_precision, e.date_end),
            "acts": _refs(seen, Act.objects.filter(event=e).order_by("date", "created_at")),
            "cases": _refs(seen, e.cases.order_by("title", "id")),
        }
        for e in events
    ]


def cases_out(seen: Visibility, cases: list[Case]) -> list[dict[str, Any]]:
    """Cases with the persons and events the user may see."""
    return [
        {
            **meta(c),
            "title": c.title,
            "status": c.status,
            "description": c.description,
            "persons": _refs(seen, c.persons.order_by("display_name", "id")),
            "events": _refs(seen, c.events.order_by("date", "title", "id")),
        }
        for c in cases
    ]


def sources_out(seen: Visibility, sources: list[Source]) -> list[dict[str, Any]]:
    """Sources with their visible evidence files, and nothing about a witness."""
    files: dict[Any, list[Evidence]] = defaultdict(list)
    for item in seen.view(Evidence.objects.filter(source__in=sources)).order_by("original_name"):
        files[item.source_id].append(item)
    return [
        {
            **meta(s),
            "title": s.title,
            "source_type": term_out(s.source_type),
            "reliability": term_out(s.reliability),
            "url": s.url,
            "publisher": s.publisher,
            "citation": s.citation,
            "notes": s.notes,
            "date": s.date,
            "date_precision": s.date_precision,
            "date_end": s.date_end,
            "evidence": [
                {
                    "id": f.pk,
                    "original_name": f.original_name,
                    "sha256": f.sha256,
                    "size": f.size,
                    "content_type": f.content_type,
                    "description": f.description,
                }
                for f in files[s.pk]
            ],
        }
        for s in sources
    ]


def target_type_id(kind: str) -> int:
    """The content type id of an information target kind."""
    return ContentType.objects.get_for_model(TARGETS[kind]).pk


def information_out(seen: Visibility, items: list[Information]) -> list[dict[str, Any]]:
    """Citations, naming their target only when the user may see it."""
    kinds = {target_type_id(k): k for k in TARGETS}
    out = []
    for item in items:
        kind = kinds.get(item.target_type_id)
        shown = kind is not None and item.target_id in seen.ids(TARGETS[kind], [item.target_id])
        out.append(
            {
                **meta(item),
                "source": seen.ref(Source, item.source),
                "target": {"type": kind, "id": item.target_id} if shown else None,
                "claim_kind": item.claim_kind,
                "quote": item.quote,
                "reliability": term_out(item.reliability),
                "note": item.note,
            }
        )
    return out


def provision_out(provision: Any) -> dict[str, Any]:
    """A legal provision."""
    return {
        "id": provision.pk,
        "label": str(provision),
        "jurisdiction": provision.jurisdiction,
        "code": provision.code,
        "article": provision.article,
        "part": provision.part,
        "point": provision.point,
        "title": provision.title,
    }


def charges_out(seen: Visibility, charges: list[ActCharge]) -> list[dict[str, Any]]:
    """Charges with their provisions."""
    return [
        {
            **meta(c),
            "act": c.act_id,
            "provision": provision_out(c.provision),
            "inchoate": c.inchoate,
            "text_as_written": c.text_as_written,
        }
        for c in charges
    ]


def involvements_out(seen: Visibility, rows: list[Involvement]) -> list[dict[str, Any]]:
    """Perpetrators in acts, with the act's type, date and victim (when visible)."""
    return [
        {
            **meta(i),
            "act": i.act_id,
            "act_type": term_out(i.act.act_type),
            "act_date": i.act.date,
            "victim": seen.ref(Person, i.act.victim_person)
            or seen.ref(Organisation, i.act.victim_organisation),
            "perpetrator_person": seen.ref(Person, i.perpetrator_person),
            "perpetrator_organisation": seen.ref(Organisation, i.perpetrator_organisation),
            "role": term_out(i.role),
            "degree": term_out(i.degree),
            "note": i.note,
        }
        for i in rows
    ]


def counsel_out(seen: Visibility, rows: list[Counsel]) -> list[dict[str, Any]]:
    """Counsel in acts."""
    return [
        {**meta(c), "act": c.act_id, "lawyer": seen.ref(Person, c.lawyer), "note": c.note}
        for c in rows
    ]
