"""The one-page case brief: timeline, charges, sentence, perpetrators' sanctions, response."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vigil.outputs.document import Draft, Run
from vigil.outputs.facts import CaseFacts, gather
from vigil.outputs.identity import birth_runs, custody_runs, profession_runs, sex_runs, spellings
from vigil.outputs.interventions import intervention_runs
from vigil.outputs.phrases import (
    act_ref,
    act_summary,
    charge_text,
    perpetrator_name,
    sentence_text,
    sourced,
)
from vigil.outputs.writer import Writer
from vigil.records.models import Involvement, Person

if TYPE_CHECKING:
    from vigil.accounts.types import User

SENTENCES = ("sentence", "appeal_decision", "cassation_decision")


def brief_draft(user: User, person: Person) -> Draft:
    """A one-page brief on ``person``'s case from the record."""
    facts = gather(user, person)
    w = Writer("brief", f"Case brief: {person}")
    custody = custody_runs(facts, w.cites)
    _identity(w, facts, custody)
    timeline = "Timeline"
    for a in facts.acts:
        w.para(timeline, [sourced(act_summary(a), a.infos, w.cites)])
    if not facts.acts:
        _none(w, timeline, "acts", "no act recorded")
    charges = "Charges"
    for a, charge, infos in facts.charges():
        w.para(charges, [sourced(charge_text(charge), infos, w.cites), Run(f" ({act_ref(a)})")])
    if not facts.charges():
        _none(w, charges, "charges", "no charge recorded")
    sentence = "Sentence"
    found = [a for a in facts.of_kind(*SENTENCES) if sentence_text(a)]
    for a in found:
        w.para(sentence, [sourced(f"{sentence_text(a)} ({act_ref(a)})", a.infos, w.cites)])
    if not found:
        _none(w, sentence, "sentence", "no sentence recorded")
    _perpetrators(w, facts)
    response = "International response so far"
    for item, infos in facts.interventions:
        w.para(response, intervention_runs(item, infos, w.cites))
    if not facts.interventions:
        w.para(response, [Run("No intervention about this person is recorded in Vigil.")])
    return w.finish(
        [
            "Every fact is a claim of the cited source with its reliability; sanctions statuses "
            "come from Vigil's screening of the lists loaded, with each list's version."
        ]
    )


def _none(w: Writer, heading: str, field_id: str, why: str) -> None:
    w.para(heading, [Run("Not in the record.", placeholder=True)])
    w.missing(field_id, why, required=False)


def _identity(w: Writer, facts: CaseFacts, custody: list[Run]) -> None:
    heading = "The person"
    if facts.person.name_withheld:
        w.para(heading, [Run("Name withheld by the source.")], label="Name")
    elif names := spellings(facts, w.cites):
        w.para(heading, names, label="Names")
    for label, runs in (("Sex", sex_runs(facts, w.cites)), ("Born", birth_runs(facts, w.cites))):
        if runs:
            w.para(heading, runs, label=label)
    for runs in profession_runs(facts, w.cites):
        w.para(heading, runs, label="Profession")
    if custody:
        w.para(heading, custody, label="Custody")
    else:
        w.para(
            heading,
            [Run("cannot be derived from the acts recorded", placeholder=True)],
            label="Custody",
        )


def _perpetrators(w: Writer, facts: CaseFacts) -> None:
    from vigil.sanctions.gap import gap_report

    heading = "Perpetrators and their sanctions status"
    parties: dict[Any, list[tuple[Involvement, Any]]] = {}
    for a in facts.acts:
        for inv in a.perpetrators:
            parties.setdefault(
                inv.perpetrator_person_id or inv.perpetrator_organisation_id, []
            ).append((inv, a))
    if not parties:
        _none(w, heading, "perpetrators", "no perpetrator recorded")
        return
    report = gap_report(facts.user)
    rows = {row.of_person.pk: row for row in report.rows}
    for key, items in parties.items():
        roles = "; ".join(f"{inv.role.label_en.lower()} in the {act_ref(a)}" for inv, a in items)
        runs = [sourced(f"{perpetrator_name(items[0][0])} — {roles}", items[0][1].infos, w.cites)]
        row = rows.get(key)
        if items[0][0].perpetrator_organisation_id:
            status = "an organisation: not screened against persons' lists"
        elif row is None:
            status = "not screened (name withheld, or not screenable)"
        elif not row.statuses:
            status = "no sanctions list loaded"
        else:
            status = "; ".join(s.text for s in row.statuses)
        runs.append(Run(f". Sanctions: {status}."))
        w.para(heading, runs)
    if report.missing_issuers:
        w.para(heading, [Run(f"Lists not loaded: {', '.join(report.missing_issuers)}.")])
