"""The response gap: who is detained with no international response, and who got no answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from vigil.records.custody import Custody, CustodyState, custody_by_person
from vigil.records.models import Act, Intervention, Person, Profession, Term
from vigil.responses.interventions import Overdue, overdue_follow_ups, unanswered

# Professions whose holders the gap is about (with their narrower terms).
PROFESSIONS = ("lawyer", "legal_consultant", "human_rights_defender")
# What counts as each kind of response, by intervention type.
UN_COMMUNICATIONS = ("urgent_appeal", "allegation_letter", "treaty_body_complaint", "wgad_petition")
WGAD_OPINIONS = ("wgad_opinion",)
STATEMENTS = ("statement", "hrc_statement", "government_statement", "bar_statement")
# Communications the state is asked to answer.
ANSWERABLE = (
    "urgent_appeal",
    "allegation_letter",
    "wgad_opinion",
    "treaty_body_views",
    "treaty_body_complaint",
    "upr_recommendation",
)
MISSING_LABELS = {
    "un_communication": "no UN communication",
    "wgad_opinion": "no WGAD opinion",
    "statement": "no public statement",
}


@dataclass(frozen=True)
class DetainedWithoutResponse:
    """A detained lawyer or defender and the responses nobody has made."""

    person: Person
    professions: tuple[str, ...]
    custody: CustodyState
    missing: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "person": self.person.display_name,
            "id": str(self.person.pk),
            "professions": list(self.professions),
            "in_custody_since": self.custody.since.isoformat() if self.custody.since else None,
            "term_ended_without_recorded_release": self.custody.term_expired_without_release,
            "term_ends": self.custody.term_ends.isoformat() if self.custody.term_ends else None,
            "missing": [MISSING_LABELS[m] for m in self.missing],
        }


@dataclass
class ResponseGap:
    """The three lists an advocate works from."""

    detained: list[DetainedWithoutResponse] = field(default_factory=list)
    unanswered: list[Intervention] = field(default_factory=list)
    overdue: list[Overdue] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "detained_without_response": [d.as_dict() for d in self.detained],
            "communications_without_state_response": [
                {
                    "intervention": str(i.pk),
                    "type": i.intervention_type.label_en,
                    "title": i.title,
                    "reference": i.reference,
                    "date": i.date.isoformat() if i.date else None,
                }
                for i in self.unanswered
            ],
            "overdue_follow_ups": [o.as_dict() for o in self.overdue],
        }


def profession_terms() -> list[str]:
    """The profession terms the gap covers, narrower terms included."""
    keys = [Term.pk_for("profession", p) for p in PROFESSIONS]
    narrower = Term.objects.filter(vocabulary="profession", parent_id__in=keys)
    return keys + list(narrower.values_list("pk", flat=True))


def _kinds_by_person(person_ids: list[Any]) -> dict[Any, set[str]]:
    """For each person, which kinds of response exist (direct, through acts or cases)."""
    wanted = {*UN_COMMUNICATIONS, *WGAD_OPINIONS, *STATEMENTS}
    found: dict[Any, set[str]] = {pid: set() for pid in person_ids}
    links = (
        ("persons", "persons__id"),
        ("acts", "acts__victim_person_id"),
        ("cases", "cases__persons__id"),
    )
    base = Intervention.objects.real().filter(intervention_type__key__in=wanted)
    for _name, path in links:
        rows = base.filter(**{f"{path}__in": person_ids}).values_list(
            path, "intervention_type__key"
        )
        for pid, kind in rows:
            if kind in UN_COMMUNICATIONS:
                found[pid].add("un_communication")
            if kind in WGAD_OPINIONS:
                found[pid].add("wgad_opinion")
            if kind in STATEMENTS:
                found[pid].add("statement")
    return found


def detained_without_response() -> list[DetainedWithoutResponse]:
    """Lawyers and defenders in custody (derived from acts) lacking some kind of response."""
    held = (
        Profession.objects.real()
        .filter(profession_id__in=profession_terms(), person__is_synthetic=False)
        .filter(person__deleted_at__isnull=True)
        .values_list("person_id", "profession__label_en")
    )
    professions: dict[Any, set[str]] = {}
    for pid, label in held:
        professions.setdefault(pid, set()).add(label)
    custody = custody_by_person(Act.objects.real().filter(victim_person_id__in=list(professions)))
    detained = [pid for pid, state in custody.items() if state.status is Custody.IN_CUSTODY]
    kinds = _kinds_by_person(detained)
    persons = Person.objects.in_bulk(detained)
    result = []
    for pid in detained:
        missing = tuple(m for m in MISSING_LABELS if m not in kinds[pid])
        if missing and pid in persons:
            result.append(
                DetainedWithoutResponse(
                    persons[pid], tuple(sorted(professions[pid])), custody[pid], missing
                )
            )
    return sorted(result, key=lambda d: (d.person.display_name, str(d.person.pk)))


def unanswered_communications() -> list[Intervention]:
    """Communications the state was asked to answer and has not."""
    qs = Intervention.objects.real().filter(intervention_type__key__in=ANSWERABLE)
    return list(
        unanswered(qs)
        .select_related("intervention_type", "party")
        .order_by("date", "title")
        .filter(~Q(party__is_synthetic=True))
    )


def response_gap(today: dt.date | None = None) -> ResponseGap:
    """Detained lawyers and defenders without response, unanswered communications, overdue."""
    return ResponseGap(
        detained=detained_without_response(),
        unanswered=unanswered_communications(),
        overdue=overdue_follow_ups(today),
    )
