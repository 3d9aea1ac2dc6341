"""Screening perpetrators in the record against imported sanctions lists.

Perpetrators are persons and organisations with an Involvement — never participants whose
role is unconfirmed, never synthetic records, never persons whose name the source withholds.
Each candidate at or above the review threshold becomes a ScreeningMatch awaiting an analyst's
decision; only confirmed matches count anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from vigil.core.chunks import chunked
from vigil.core.errors import NotFound, ValidationFailed
from vigil.core.statements import Statement
from vigil.names import OPERATING_THRESHOLD, REVIEW_THRESHOLD, NameIndex, NameRecord
from vigil.names.org_index import OrgIndex, OrgRecord
from vigil.records.models import Organisation, Person
from vigil.sanctions.models import Decision, ListScreening, SanctionsList, ScreeningMatch

if TYPE_CHECKING:
    from vigil.accounts.types import User

_INDEXES: dict[tuple[int, Any, bool], tuple[NameIndex, dict[str, int]]] = {}
_ORG_INDEXES: dict[tuple[int, Any], tuple[OrgIndex, dict[str, int]]] = {}


def perpetrators() -> QuerySet[Person]:
    """Persons involved as perpetrators, who may be screened."""
    return (
        Person.objects.filter(involvements__isnull=False, involvements__deleted_at__isnull=True)
        .filter(is_synthetic=False, name_withheld=False)
        .distinct()
    )


_PERPETRATOR = Statement(
    Person, [Person._meta.pk], lambda pk: perpetrators().filter(pk__in=[pk]).values_list("pk")
)


def is_perpetrator(person_id: Any) -> bool:
    """Whether this person is one of :func:`perpetrators` (a single save asks: one read by a
    statement compiled once per process and database, ``vigil.core.statements``)."""
    return bool(_PERPETRATOR.rows(person_id))


def perpetrator_organisations() -> QuerySet[Organisation]:
    """Organisations involved as perpetrators (a court, the KGB, a penal colony...)."""
    return Organisation.objects.filter(
        involvements__isnull=False, involvements__deleted_at__isnull=True
    ).distinct()


PERSON_SCHEMAS = ("Person",)
#: Listed entities screened against perpetrator organisations (never vessels or aircraft).
ORGANISATION_SCHEMAS = ("Organization", "Company", "LegalEntity", "PublicBody")


def list_index(lst: SanctionsList, *, persons: bool = True) -> tuple[NameIndex, dict[str, int]]:
    """The name index of a list's active persons (or of its other entities), cached per import.

    A person is never matched against a company or a vessel, nor the other way round.
    """
    key = (lst.pk, lst.imported_at, persons)
    if key not in _INDEXES:
        records = []
        ids: dict[str, int] = {}
        entities = lst.entities.filter(active=True)
        entities = (
            entities.filter(schema__in=PERSON_SCHEMAS)
            if persons
            else entities.exclude(schema__in=PERSON_SCHEMAS)
        )
        for pk, eid, names, births, gender in entities.values_list(
            "pk", "entity_id", "names", "birth_dates", "gender"
        ):
            values = [n["value"] for n in names if n.get("value")]
            if not values:
                continue
            records.append(NameRecord(eid, values, births[0] if births else None, gender or None))
            ids[eid] = pk
        for old in [k for k in _INDEXES if k[0] == lst.pk and k[1] != lst.imported_at]:
            del _INDEXES[old]  # an older import of the same list
        _INDEXES[key] = (NameIndex(records), ids)
    return _INDEXES[key]


def org_index(lst: SanctionsList) -> tuple[OrgIndex, dict[str, int]]:
    """The organisation index of a list's active legal entities, cached per import."""
    key = (lst.pk, lst.imported_at)
    if key not in _ORG_INDEXES:
        records = []
        ids: dict[str, int] = {}
        entities = lst.entities.filter(active=True, schema__in=ORGANISATION_SCHEMAS)
        for pk, eid, names in entities.values_list("pk", "entity_id", "names"):
            values = [n["value"] for n in names if n.get("value")]
            if values:
                records.append(OrgRecord(eid, values))
                ids[eid] = pk
        for old in [k for k in _ORG_INDEXES if k[0] == lst.pk and k[1] != lst.imported_at]:
            del _ORG_INDEXES[old]
        _ORG_INDEXES[key] = (OrgIndex(records), ids)
    return _ORG_INDEXES[key]


def organisation_queries(organisation: Organisation) -> list[str]:
    """The names to search for an organisation: its display name, then its other names."""
    names = [organisation.display_name] if organisation.display_name else []
    names += [n.value for n in organisation.names.all() if n.value and n.value not in names]
    return names


def person_queries(person: Person) -> tuple[list[str], Any, str | None]:
    """The names to search for a person, their birth date (at its precision) and gender."""
    names = [person.display_name] if person.display_name else []
    names += [n.value for n in person.names.all() if n.value not in names]
    birth: Any = None
    if person.birth_date:
        birth = (
            person.birth_date.year if person.birth_date_precision == "year" else person.birth_date
        )
    gender = person.sex if person.sex in {"male", "female"} else None
    return names, birth, gender


@dataclass
class ScreeningReport:
    screened: int = 0
    lists: list[str] = field(default_factory=list)
    new_candidates: int = 0
    updated: int = 0
    withdrawn: int = 0
    organisations: int = 0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


Found = dict[str, tuple[float, str, str, str]]  # entity id -> (score, query, form, why)


def _person_hits(person: Person, index: NameIndex) -> Found:
    names, birth, gender = person_queries(person)
    best: Found = {}
    for name in names:
        for c in index.search(
            name, birth=birth, gender=gender, limit=5, threshold=REVIEW_THRESHOLD
        ):
            if c.entity_id not in best or c.score > best[c.entity_id][0]:
                best[c.entity_id] = (c.score, name, c.form, c.explanation)
    return best


def _organisation_hits(organisation: Organisation, index: OrgIndex) -> Found:
    best: Found = {}
    for name in organisation_queries(organisation):
        for c in index.search(name, limit=5, threshold=REVIEW_THRESHOLD):
            if c.entity_id not in best or c.score > best[c.entity_id][0]:
                best[c.entity_id] = (c.score, name, c.form, c.explanation)
    return best


def _store(
    side: str,
    subject: Any,
    best: Found,
    ids: dict[str, int],
    existing: dict[Any, Any],
    report: ScreeningReport,
) -> None:
    """Create, update or withdraw the candidates of one perpetrator (``side``: person or
    organisation) on one list."""
    for eid, (score, query, form, why) in best.items():
        current = existing.get((subject.pk, ids[eid]))
        if current is None:
            ScreeningMatch.objects.create(
                **{side: subject},
                listed_entity_id=ids[eid],
                score=round(score, 4),
                query_name=query[:500],
                matched_name=form[:500],
                explanation=why,
            )
            report.new_candidates += 1
        elif abs(current.score - score) > 1e-4 or current.explanation != why:
            current.score, current.explanation = round(score, 4), why
            current.query_name, current.matched_name = query[:500], form[:500]
            current.save()
            report.updated += 1
    found = {ids[eid] for eid in best}
    for (sid, entity_pk), old in existing.items():
        # A pending candidate the current matcher no longer proposes is withdrawn;
        # an analyst's decision is never touched.
        if sid == subject.pk and entity_pk not in found and old.decision == "pending":
            old.soft_delete("no longer a candidate when screened again")
            report.withdrawn += 1


def screen(
    persons: Iterable[Person] | None = None,
    lists: Iterable[SanctionsList] | None = None,
    organisations: Iterable[Organisation] | None = None,
) -> ScreeningReport:
    """Screen perpetrators (all, or those given) against lists (all, or those given).

    With neither ``persons`` nor ``organisations`` given, every perpetrator person and
    organisation is screened; with one given, only those. Persons are matched against listed
    persons with the person scorer, organisations against listed legal entities with the
    organisation scorer.
    """
    if persons is None and organisations is None:
        persons = perpetrators().prefetch_related("names")
        organisations = perpetrator_organisations().prefetch_related("names")
    people = [p for p in (persons or []) if not p.is_synthetic and not p.name_withheld]
    orgs = list(organisations or [])
    lists = list(lists if lists is not None else SanctionsList.objects.all())
    report = ScreeningReport(
        screened=len(people) + len(orgs),
        lists=[lst.name for lst in lists],
        organisations=len(orgs),
    )
    for lst in lists:
        with transaction.atomic():
            if people:
                index, ids = list_index(lst)
                existing = {
                    (m.person_id, m.listed_entity_id): m
                    for m in ScreeningMatch.objects.filter(
                        listed_entity__sanctions_list=lst, person__in=people
                    )
                }
                for person in people:
                    _store("person", person, _person_hits(person, index), ids, existing, report)
                record_screened(people, lst)
            if orgs:
                oindex, oids = org_index(lst)
                existing = {
                    (m.organisation_id, m.listed_entity_id): m
                    for m in ScreeningMatch.objects.filter(
                        listed_entity__sanctions_list=lst, organisation__in=orgs
                    )
                }
                for org in orgs:
                    hits = _organisation_hits(org, oindex)
                    _store("organisation", org, hits, oids, existing, report)
                record_screened(orgs, lst, side="organisation")
    return report


def record_screened(subjects: Iterable[Any], lst: SanctionsList, *, side: str = "person") -> None:
    """Remember that ``subjects`` (persons, or organisations with ``side="organisation"``)
    were screened against the current version of ``lst``."""
    now = timezone.now()
    rows = [
        ListScreening(
            **{f"{side}_id": s.pk},
            sanctions_list=lst,
            list_imported_at=lst.imported_at,
            list_version_date=lst.version_date,
            screened_at=now,
        )
        for s in subjects
    ]
    ListScreening.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=[side, "sanctions_list"],
        update_fields=["list_imported_at", "list_version_date", "screened_at"],
    )


def unscreened(
    person_ids: Iterable[Any], lists: Iterable[SanctionsList], *, side: str = "person"
) -> set[Any]:
    """Of ``person_ids`` (organisation ids with ``side="organisation"``), those not yet
    screened against the current version of every list."""
    ids = set(person_ids)
    lists = list(lists)
    if not ids or not lists:
        return set()
    done: dict[Any, int] = {}
    current = {lst.pk: lst.imported_at for lst in lists}
    ordered = list(ids)
    column = f"{side}_id"
    for chunk in chunked(ordered, 900):
        found = ListScreening.objects.filter(
            **{f"{column}__in": chunk},
            sanctions_list_id__in=list(current),
        ).values_list(column, "sanctions_list_id", "list_imported_at")
        for pid, list_id, imported_at in found:
            if current[list_id] == imported_at:
                done[pid] = done.get(pid, 0) + 1
    return {pid for pid in ids if done.get(pid, 0) < len(lists)}


def screen_perpetrators(
    person_ids: Iterable[Any],
    *,
    only_unscreened: bool = False,
    organisation_ids: Iterable[Any] = (),
) -> int:
    """Screen those of ``person_ids`` (and of ``organisation_ids``) who are perpetrators
    against every loaded list, at once.

    Called when a perpetrator is recorded, renamed or merged (signals, see
    :mod:`vigil.sanctions.autoscreen`) and after an import; with ``only_unscreened`` only
    those not yet screened against the lists' current versions. Returns how many were
    screened (0 when no list is loaded).
    """
    ids, org_ids = set(person_ids), set(organisation_ids)
    if not ids and not org_ids:
        return 0
    lists = list(SanctionsList.objects.all())
    if not lists:
        return 0
    if only_unscreened:
        ids = unscreened(ids, lists)
        org_ids = unscreened(org_ids, lists, side="organisation")
    people: list[Person] = []
    orgs: list[Organisation] = []
    ordered, org_ordered = list(ids), list(org_ids)
    for chunk in chunked(ordered, 900):
        people += perpetrators().filter(pk__in=chunk).prefetch_related("names")
    for chunk in chunked(org_ordered, 900):
        orgs += perpetrator_organisations().filter(pk__in=chunk).prefetch_related("names")
    if people or orgs:
        screen(people, lists, orgs)
    return len(people) + len(orgs)


def decide(
    match: ScreeningMatch, decision: str, *, user: User | None = None, note: str = ""
) -> None:
    """An analyst confirms or rejects a candidate (a new version records who and when)."""
    if decision not in {Decision.CONFIRMED, Decision.REJECTED, Decision.PENDING}:
        raise ValidationFailed(f"unknown decision {decision!r}")
    match.decision = decision
    match.reviewed_by = user
    match.reviewed_at = timezone.now()
    match.review_note = note
    match.save()
    try:
        from vigil.audit.services import audit
    except ImportError:  # the audit app arrives with the security work
        return
    audit("screening_decision", actor=user, obj=match, decision=decision)


def undo_decision(match: ScreeningMatch, *, user: User | None = None, note: str = "") -> str:
    """Take back an analyst's decision: the candidate awaits review again.

    The decision undone stays in the match's history (a new version records who undid it and
    when) and in the audit log. Returns the decision undone.
    """
    previous = match.decision
    if previous == Decision.PENDING:
        raise ValidationFailed("this candidate awaits review: there is no decision to undo")
    match.decision = Decision.PENDING
    match.reviewed_by = user
    match.reviewed_at = timezone.now()
    match.review_note = note or f"decision {previous!s} undone"
    match.save()
    from vigil.audit.services import audit

    audit("screening_decision", actor=user, obj=match, decision="pending", action="undo")
    return str(previous)


@dataclass(frozen=True)
class BatchHit:
    list: str
    entity_id: str
    name: str
    score: float
    match: bool
    explanation: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "list": self.list,
            "entity_id": self.entity_id,
            "name": self.name,
            "score": round(self.score, 4),
            "match": self.match,
            "explanation": self.explanation,
        }


def screen_names(
    queries: Iterable[tuple[str, str | None]],
    *,
    list_name: str | None = None,
    limit: int = 5,
    organisations: bool = False,
) -> Iterable[tuple[str, list[BatchHit]]]:
    """Screen free-text names of persons (or organisations) against the imported lists."""
    lists = list(SanctionsList.objects.all())
    if list_name:
        lists = [lst for lst in lists if lst.name == list_name]
        if not lists:
            raise NotFound(f"no list named {list_name!r} has been imported")
    if not lists:
        raise NotFound("no sanctions list has been imported: run `vigil sanctions import` first")
    # Organisations are scored by the organisation scorer over the lists' legal entities.
    indexes = [(lst, org_index(lst)[0] if organisations else list_index(lst)[0]) for lst in lists]
    for name, birth in queries:
        hits: list[BatchHit] = []
        for lst, index in indexes:
            found = (
                index.search(name, limit=limit, threshold=REVIEW_THRESHOLD)
                if isinstance(index, OrgIndex)
                else index.search(name, birth=birth, limit=limit, threshold=REVIEW_THRESHOLD)
            )
            for c in found:
                hits.append(
                    BatchHit(
                        lst.name,
                        c.entity_id,
                        c.form,
                        c.score,
                        c.score >= OPERATING_THRESHOLD,
                        c.explanation,
                    )
                )
        hits.sort(key=lambda h: -h.score)
        yield name, hits
