"""The response gap: who is detained with no international response, and who got no answer."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import get_language, gettext, gettext_lazy

from vigil.policy.access import restrict
from vigil.records.custody import Custody, CustodyState, custody_by_person
from vigil.records.models import Act, Case, Intervention, Person, Profession, Term
from vigil.responses.interventions import NON_RESPONSES, Overdue
from vigil.responses.models import FollowUp, StateResponse

if TYPE_CHECKING:
    from vigil.accounts.types import User

HELD_OR_UNRELEASED = (Custody.IN_CUSTODY, Custody.TERM_ENDED)

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
    "un_communication": gettext_lazy("no UN communication"),
    "wgad_opinion": gettext_lazy("no WGAD opinion"),
    "statement": gettext_lazy("no public statement"),
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
            "missing": [str(MISSING_LABELS[m]) for m in self.missing],
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


# Other records that state solidarity with a person — the solidarity app's statements and
# letters, registered from its ``ready()`` so that the response sits below the campaigns that
# read it: each source gives which of ``person_ids`` a statement the user may see concerns.
StatementSource = Callable[[Any, list[Any]], set[Any]]
_STATEMENT_SOURCES: list[StatementSource] = []


def count_statements_from(source: StatementSource) -> None:
    """Count what ``source`` finds as a statement of solidarity in the response gap (once)."""
    if source not in _STATEMENT_SOURCES:
        _STATEMENT_SOURCES.append(source)


def profession_terms() -> list[str]:
    """The profession terms the gap covers, narrower terms included."""
    keys = [Term.pk_for("profession", p) for p in PROFESSIONS]
    narrower = Term.objects.filter(vocabulary="profession", parent_id__in=keys)
    return keys + list(narrower.values_list("pk", flat=True))


def _kinds_by_person(user: User, person_ids: list[Any]) -> dict[Any, set[str]]:
    """For each person, which kinds of response ``user`` can see (direct, through acts or cases).

    Links are read through their join tables so that both ends pass the policy: an
    intervention about a hidden act or case never counts as a response.
    """
    wanted = {*UN_COMMUNICATIONS, *WGAD_OPINIONS, *STATEMENTS}
    found: dict[Any, set[str]] = {pid: set() for pid in person_ids}
    seen = restrict(
        user, "view", Intervention.objects.real().filter(intervention_type__key__in=wanted)
    ).values("pk")
    acts = restrict(user, "view", Act.objects.filter(victim_person_id__in=person_ids))
    cases = restrict(user, "view", Case.objects.all()).values("pk")
    in_cases = Case.persons.through.objects.filter(
        case_id__in=cases, person_id__in=person_ids
    ).values_list("case_id", "person_id")
    persons_of_case: dict[Any, set[Any]] = defaultdict(set)
    for case_id, pid in in_cases:
        persons_of_case[case_id].add(pid)
    links: list[tuple[Any, str]] = []
    links += Intervention.persons.through.objects.filter(
        intervention_id__in=seen, person_id__in=person_ids
    ).values_list("person_id", "intervention__intervention_type__key")
    links += Intervention.acts.through.objects.filter(
        intervention_id__in=seen, act_id__in=acts.values("pk")
    ).values_list("act__victim_person_id", "intervention__intervention_type__key")
    for case_id, kind in Intervention.cases.through.objects.filter(
        intervention_id__in=seen, case_id__in=list(persons_of_case)
    ).values_list("case_id", "intervention__intervention_type__key"):
        links += [(pid, kind) for pid in persons_of_case[case_id]]
    # Statements and letters of solidarity (vigil.solidarity, registered) are statements too.
    for source in _STATEMENT_SOURCES:
        links += [(pid, STATEMENTS[0]) for pid in source(user, person_ids)]
    for pid, kind in links:
        if kind in UN_COMMUNICATIONS:
            found[pid].add("un_communication")
        if kind in WGAD_OPINIONS:
            found[pid].add("wgad_opinion")
        if kind in STATEMENTS:
            found[pid].add("statement")
    return found


def detained_without_response(user: User) -> list[DetainedWithoutResponse]:
    """Lawyers and defenders in custody lacking some kind of response, as ``user`` sees them.

    Professions, persons, the acts custody is derived from and the responses are all read
    through the policy: a hidden act never puts someone in custody or lets them out.
    """
    held = (
        restrict(user, "view", Profession.objects.real())
        .filter(profession_id__in=profession_terms(), person__is_synthetic=False)
        .filter(person__deleted_at__isnull=True)
        .values_list(
            "person_id", "profession__label_en", "profession__label_be", "profession__label_ru"
        )
    )
    # Each profession by its label in the active language (English where it has none).
    language = (get_language() or "en")[:2]
    professions: dict[Any, set[str]] = {}
    for pid, label_en, label_be, label_ru in held:
        label = {"be": label_be, "ru": label_ru}.get(language) or label_en
        professions.setdefault(pid, set()).add(label)
    acts = restrict(user, "view", Act.objects.real().filter(victim_person_id__in=list(professions)))
    custody = custody_by_person(acts)
    # A lawyer whose term ended with no release recorded stays listed (flagged so): custody
    # unknown is no reason to stop asking about them.
    detained = [pid for pid, state in custody.items() if state.status in HELD_OR_UNRELEASED]
    kinds = _kinds_by_person(user, detained)
    persons = restrict(user, "view", Person.objects.all()).in_bulk(detained)
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


def _unanswered(user: User, interventions: QuerySet[Intervention]) -> QuerySet[Intervention]:
    """Of ``interventions``, those with no state response ``user`` can see."""
    answered = restrict(
        user,
        "view",
        StateResponse.objects.filter(intervention=OuterRef("pk")).exclude(
            response__key__in=NON_RESPONSES
        ),
    )
    return (
        restrict(user, "view", interventions)
        .filter(Q(state_response__isnull=True) | Q(state_response__key__in=NON_RESPONSES))
        .exclude(Exists(answered))
    )


def unanswered_communications(user: User) -> list[Intervention]:
    """Communications the state was asked to answer and has not (as ``user`` sees them)."""
    qs = Intervention.objects.real().filter(intervention_type__key__in=ANSWERABLE)
    return list(
        _unanswered(user, qs)
        .select_related("intervention_type", "party")
        .order_by("date", "title")
        .filter(~Q(party__is_synthetic=True))
    )


def overdue(user: User, today: dt.date | None = None) -> list[Overdue]:
    """Follow-ups ``user`` can see, due before ``today``, on interventions left unanswered."""
    today = today or dt.date.today()
    waiting = _unanswered(user, Intervention.objects.real())
    found = [
        Overdue(i, i.follow_up_due, gettext("follow-up due"))
        for i in waiting.filter(follow_up_due__lt=today).select_related("intervention_type")
        if i.follow_up_due is not None
    ]
    follow_ups = restrict(
        user,
        "view",
        FollowUp.objects.real().filter(
            due__lt=today, done_on__isnull=True, intervention__in=waiting.values("pk")
        ),
    )
    for f in follow_ups.select_related("intervention"):
        found.append(Overdue(f.intervention, f.due, f.action, f))
    return sorted(found, key=lambda o: (o.due, str(o.intervention.pk)))


def response_gap(user: User, today: dt.date | None = None) -> ResponseGap:
    """The three lists an advocate works from, over what ``user`` may view only."""
    return ResponseGap(
        detained=detained_without_response(user),
        unanswered=unanswered_communications(user),
        overdue=overdue(user, today),
    )
