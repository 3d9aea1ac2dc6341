"""The UN Special Procedures communication draft (urgent appeal or allegation letter)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from vigil.outputs.coding import CodingUnavailable, codings_for
from vigil.outputs.document import Draft, Run
from vigil.outputs.facts import ActFacts, CaseFacts, gather
from vigil.outputs.forms import form
from vigil.outputs.freshness import freshness_note
from vigil.outputs.identity import birth_runs, custody_runs, sex_runs, spellings
from vigil.outputs.interventions import intervention_runs
from vigil.outputs.phrases import (
    act_date,
    act_ref,
    act_summary,
    perpetrator_name,
    place_text,
    sourced,
)
from vigil.outputs.wgad import NOT_HELD, REMEDIES
from vigil.outputs.writer import REFERENCE_NOTE, Writer
from vigil.records.models import Involvement, Person

if TYPE_CHECKING:
    from vigil.accounts.types import User


def appeal_draft(user: User, person: Person) -> Draft:
    """Draft a Special Procedures communication about ``person`` from the record."""
    facts = gather(user, person)
    w = Writer("appeal", f"Draft communication to UN Special Procedures: {person}", form("sp"))
    w.draft.subtitle = "Urgent appeal or allegation letter (draft)"
    _victim(w, facts)
    _perpetrators(w, facts)
    _incidents(w, facts)
    remedies = [[sourced(act_summary(a), a.infos, w.cites)] for a in facts.of_kind(*REMEDIES)]
    w.answer("steps_taken_domestic_remedies", remedies, "no appeal or complaint recorded")
    others = [intervention_runs(i, infos, w.cites) for i, infos in facts.interventions]
    w.answer("other_international_submissions", others, "no intervention recorded in Vigil")
    _norms(w, facts)
    w.answer(
        "urgency_and_risk",
        [custody_runs(facts, w.cites)] if custody_runs(facts, w.cites) else [],
        "custody cannot be derived from the acts recorded",
    )
    w.missing(
        "urgency_and_risk",
        "whether an urgent appeal is requested is the submitter's decision",
        required=False,
    )
    w.answer("submitter_identity", [], NOT_HELD)
    w.answer("consent_of_victim_or_family", [], NOT_HELD)
    w.answer("confidentiality_flags", [], "the submitting party decides")
    w.answer(
        "supporting_documents",
        [],
        "attach documents; the sources Vigil cites are listed under “Sources”",
    )
    draft = w.finish(
        [
            "Every fact below is a claim of the cited source, with that source's reliability; "
            "verify each before submission. What the communication needs and the record lacks is "
            "listed under “Missing information”.",
            "Field list paraphrased from OHCHR guidance on Special Procedures communications as "
            "compiled for Vigil; communications and replies are published after 60 days.",
            REFERENCE_NOTE,
        ]
    )
    # At the top, after the date of the draft: how old its facts are (old facts must say so).
    draft.notes.insert(1, freshness_note(facts, "appeal"))
    return draft


def _victim(w: Writer, facts: CaseFacts) -> None:
    person = facts.person
    runs: list[Run] = []
    if person.name_withheld:
        runs.append(Run("Name withheld by the source"))
    else:
        runs += spellings(facts, w.cites) or [
            sourced(person.display_name, facts.person_infos, w.cites)
        ]
    for label, found in (("sex", sex_runs(facts, w.cites)), ("born", birth_runs(facts, w.cites))):
        if found:
            runs += [Run(f"; {label}: "), *found]
    w.answer("alleged_victims", [runs], "")
    if not sex_runs(facts, w.cites) or not birth_runs(facts, w.cites):
        w.missing("alleged_victims", "age or sex not recorded", required=True)
    w.missing("alleged_victims", "place of residence or origin: " + NOT_HELD, required=True)


def _perpetrators(w: Writer, facts: CaseFacts) -> None:
    by_party: dict[Any, list[tuple[Involvement, ActFacts]]] = defaultdict(list)
    for a in facts.acts:
        for inv in a.perpetrators:
            by_party[inv.perpetrator_person_id or inv.perpetrator_organisation_id].append((inv, a))
    answers = []
    for items in by_party.values():
        name = perpetrator_name(items[0][0])
        runs = [Run(f"{name}: ")]
        for i, (inv, a) in enumerate(items):
            sep = "; " if i else ""
            runs.append(
                sourced(f"{sep}{inv.role.label_en.lower()} in the {act_ref(a)}", a.infos, w.cites)
            )
        answers.append(runs)
    w.answer("alleged_perpetrators", answers, "no perpetrator recorded")


def _incidents(w: Writer, facts: CaseFacts) -> None:
    dated = [
        [
            sourced(
                f"{act_date(a)}: {a.act.act_type.label_en}"
                + (f", {place_text(a)}" if place_text(a) else ""),
                a.infos,
                w.cites,
            )
        ]
        for a in facts.acts
    ]
    w.answer("date_and_place_of_incident", dated, "no act recorded")
    story = [[sourced(act_summary(a), a.infos, w.cites)] for a in facts.acts]
    w.answer("detailed_description", story, "no act recorded")


def _norms(w: Writer, facts: CaseFacts) -> None:
    try:
        codings = codings_for(facts.user, [a.act.pk for a in facts.acts])
    except CodingUnavailable:
        w.answer(
            "applicable_norms", [], "not coded yet: violation coding is not available in this Vigil"
        )
        return
    acts = {a.act.pk: a for a in facts.acts}
    answers = []
    for c in codings:
        text = f"{c.text}. Act: {act_ref(acts[c.act_id])}."
        if c.rationale:
            text += f" Rationale: {c.rationale}"
        answers.append([Run(text)])
    w.answer(
        "applicable_norms", answers, "not coded yet: no standard is coded for this person's acts"
    )
