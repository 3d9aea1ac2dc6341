"""The WGAD individual communication draft, following the model questionnaire's fields."""

from __future__ import annotations

from typing import TYPE_CHECKING

from vigil.outputs.coding import CodingUnavailable, codings_for
from vigil.outputs.document import Draft, Run
from vigil.outputs.facts import ActFacts, CaseFacts, gather
from vigil.outputs.forms import form
from vigil.outputs.identity import (
    background_runs,
    birth_runs,
    custody_runs,
    name_runs,
    nationality_runs,
    profession_runs,
    sex_runs,
    spellings,
)
from vigil.outputs.phrases import (
    act_date,
    act_ref,
    act_summary,
    charge_text,
    perpetrator_name,
    perpetrators_text,
    place_text,
    sourced,
)
from vigil.outputs.writer import REFERENCE_NOTE, Writer
from vigil.records.custody import DETAINING, SENTENCING
from vigil.records.models import Person
from vigil.records.places import is_place_of_detention

if TYPE_CHECKING:
    from vigil.accounts.types import User

ARREST = ("arrest", "administrative_arrest")
ORDERING_ROLES = {"judge", "presiding_judge", "prosecutor", "investigator", "ordering_official"}
CONDITIONS = (
    "detention",
    "incommunicado_detention",
    "ill_treatment",
    "torture",
    "physical_assault",
    "denial_of_medical_care",
)
TRIAL = ("trial", "sentence", "appeal_decision", "cassation_decision", "charges_dismissed")
REMEDIES = ("appeal_decision", "cassation_decision")
COUNSEL_DENIED = ("denial_of_counsel", "denial_of_communication_with_defence")
NOT_HELD = "Vigil does not record this; the submitting party fills it in."


def wgad_draft(user: User, person: Person) -> Draft:
    """Draft a WGAD individual communication for ``person`` from the record."""
    facts = gather(user, person)
    w = Writer("wgad", f"Draft individual communication to the WGAD: {person}", form("wgad"))
    w.draft.subtitle = "UN Working Group on Arbitrary Detention — model questionnaire (draft)"
    _identity(w, facts)
    _arrest(w, facts)
    _detention(w, facts)
    _circumstances(w, facts)
    _domestic(w, facts)
    _submitter(w)
    return w.finish(
        [
            "Every fact below is a claim of the cited source, with that source's reliability; "
            "verify each before submission. Nothing has been added that the record does not hold: "
            "what the form needs and the record lacks is listed under “Missing information”.",
            "Field list paraphrased from the WGAD model questionnaire as compiled for Vigil; "
            "check the current questionnaire and address on the WGAD web page.",
            REFERENCE_NOTE,
        ]
    )


def _identity(w: Writer, facts: CaseFacts) -> None:
    family, first = name_runs(facts, w.cites)
    why_name = (
        "the source withholds the name"
        if facts.person.name_withheld
        else "the recorded name could not be split into family and first name"
    )
    w.answer("family_name", [family] if family else [], why_name)
    w.answer("first_name", [first] if first else [], why_name)
    if names := spellings(facts, w.cites):
        w.para(w.spec.headings["I_identity"], names, label="Spellings in the record")  # type: ignore[union-attr]
    w.answer("sex", _one(sex_runs(facts, w.cites)), "sex not recorded")
    w.answer(
        "birth_date_or_age_at_detention",
        _one(birth_runs(facts, w.cites)),
        "birth date not recorded",
    )
    w.answer("nationality", _one(nationality_runs(facts, w.cites)), "nationality not recorded")
    w.answer("identity_document", [], NOT_HELD)
    professions = profession_runs(facts, w.cites) + background_runs(facts, w.cites)
    w.answer("profession_or_activity", professions, "no profession or activity recorded")
    w.answer("address_of_usual_residence", [], NOT_HELD)


def _one(runs: list[Run]) -> list[list[Run]]:
    return [runs] if runs else []


def _arrest(w: Writer, facts: CaseFacts) -> None:
    arrests = facts.of_kind(*ARREST)
    cites = w.cites
    w.answer(
        "date_of_arrest",
        [
            [sourced(f"{act_date(a)} ({a.act.act_type.label_en.lower()})", a.infos, cites)]
            for a in arrests
        ],
        "no arrest recorded" if not arrests else "",
    )
    w.answer(
        "place_of_arrest",
        [[sourced(place_text(a), a.infos, cites)] for a in arrests if place_text(a)],
        "place of arrest not recorded",
    )
    w.answer(
        "forces_who_carried_out_arrest",
        [[sourced(perpetrators_text(a), a.infos, cites)] for a in arrests if a.perpetrators],
        "no perpetrator of the arrest recorded",
    )
    w.answer("warrant_or_decision_shown", [], "not recorded")
    ordering = [
        [sourced(f"{perpetrator_name(i)} ({i.role.label_en.lower()})", a.infos, cites)]
        for a in arrests
        for i in a.perpetrators
        if i.role.key == "ordering_official"
    ]
    w.answer("authority_that_issued_warrant_or_decision", ordering, "not recorded")
    on_arrest = [[sourced(charge_text(c), infos, cites)] for a in arrests for c, infos in a.charges]
    w.answer(
        "relevant_legislation_applied_arrest",
        on_arrest or _charges(w, facts),
        "no legal provision recorded",
    )


def _charges(w: Writer, facts: CaseFacts) -> list[list[Run]]:
    return [
        [
            sourced(charge_text(charge), infos, w.cites),
            Run(f" (recorded on the {act_ref(a)})"),
        ]
        for a, charge, infos in facts.charges()
    ]


def _detention(w: Writer, facts: CaseFacts) -> None:
    cites = w.cites
    custodial = [a for a in facts.acts if a.kind in DETAINING and a.act.date]
    w.answer(
        "date_of_detention",
        [
            [sourced(f"{act_date(a)} ({a.act.act_type.label_en.lower()})", a.infos, cites)]
            for a in custodial[:1]
        ],
        "no dated arrest or detention recorded",
    )
    w.answer(
        "duration_of_detention",
        _one(custody_runs(facts, cites)),
        "custody cannot be derived from the acts recorded",
    )
    w.answer("forces_holding_detainee_in_custody", [], "not recorded")
    places = [
        [
            sourced(
                f"{place_text(a)} (recorded on the {act_ref(a)})",
                a.infos,
                cites,
            )
        ]
        for a in facts.acts
        if place_text(a) and (a.kind in DETAINING | SENTENCING or _is_prison(a))
    ]
    w.answer("places_of_detention", places, "no place of detention recorded")
    ordering = [
        [
            sourced(
                f"{perpetrator_name(i)} ({i.role.label_en.lower()}; {act_ref(a)})",
                a.infos,
                cites,
            )
        ]
        for a in facts.acts
        if a.kind in DETAINING | SENTENCING
        for i in a.perpetrators
        if i.role.key in ORDERING_ROLES
    ]
    w.answer(
        "authorities_that_ordered_detention", ordering, "no judge, prosecutor or official recorded"
    )
    charges = _charges(w, facts)
    w.answer("reasons_for_detention_imputed_by_authorities", charges, "no charge recorded")
    w.answer("relevant_legislation_applied_detention", charges, "no legal provision recorded")
    trial = [[sourced(act_summary(a), a.infos, cites)] for a in facts.of_kind(*TRIAL)]
    w.answer("trial_information", trial, "no trial, sentence or appeal recorded")
    w.answer("access_to_lawyer_and_family", _counsel(w, facts), "no counsel recorded")
    conditions = [[sourced(act_summary(a), a.infos, cites)] for a in facts.of_kind(*CONDITIONS)]
    w.answer("health_and_conditions_of_detention", conditions, "not recorded")


def _is_prison(a: ActFacts) -> bool:
    return is_place_of_detention(a.act.place)


def _counsel(w: Writer, facts: CaseFacts) -> list[list[Run]]:
    answers = []
    for a in facts.acts:
        for c in a.counsel:
            answers.append(
                [
                    sourced(
                        f"Counsel: {c.lawyer} ({act_ref(a)})",
                        a.infos,
                        w.cites,
                    )
                ]
            )
        for p in a.participants:
            role = (
                p.confirmed_role
                or f"named by the source as {p.stated_role or 'a participant'}, role not confirmed"
            )
            answers.append([sourced(f"{p.name_text} ({role})", a.infos, w.cites)])
    for a in facts.of_kind(*COUNSEL_DENIED):
        answers.append([sourced(act_summary(a), a.infos, w.cites)])
    return answers


def _circumstances(w: Writer, facts: CaseFacts) -> None:
    story: list[list[Run]] = []
    quoted: set[str] = set()
    for a in facts.acts:
        for info in a.infos:
            if info.quote and info.target_id == a.act.event_id and info.quote not in quoted:
                quoted.add(info.quote)
                story.append(
                    [
                        Run("The source summarises the case: "),
                        sourced(f"“{info.quote}”", [info], w.cites),
                    ]
                )
    story += [[sourced(act_summary(a), a.infos, w.cites)] for a in facts.acts]
    w.answer("narrative_circumstances_of_arrest_and_detention", story, "no act recorded")
    try:
        codings = [
            c for c in codings_for(facts.user, [a.act.pk for a in facts.acts]) if c.wgad_category
        ]
    except CodingUnavailable:
        w.answer(
            "precise_reasons_why_detention_is_arbitrary",
            [],
            "not coded yet: violation coding (WGAD categories) is not available in this Vigil",
        )
        return
    acts = {a.act.pk: a for a in facts.acts}
    answers = []
    for c in sorted(codings, key=lambda c: c.wgad_category):
        runs = [Run(f"{c.text}. Act: {act_ref(acts[c.act_id])}.")]
        if c.rationale:
            runs.append(Run(f" Rationale: {c.rationale}"))
        answers.append(runs)
    w.answer(
        "precise_reasons_why_detention_is_arbitrary",
        answers,
        "not coded yet: no WGAD category is coded for this person's acts",
    )


def _domestic(w: Writer, facts: CaseFacts) -> None:
    remedies = facts.of_kind(*REMEDIES)
    steps = [[sourced(act_summary(a), a.infos, w.cites)] for a in remedies]
    w.answer("internal_steps_and_domestic_remedies_taken", steps, "no appeal or complaint recorded")
    results = [
        [sourced(f"{act_date(a)}: {a.act.outcome}", a.infos, w.cites)]
        for a in remedies
        if a.act.outcome
    ]
    w.answer("results_or_why_ineffective_or_not_taken", results, "no outcome recorded")


def _submitter(w: Writer) -> None:
    for field_id in (
        "full_name_and_address_of_submitter",
        "telephone_fax_email",
        "consent_of_victim_or_family_to_submit_and_to_publish_name",
        "date",
        "signature",
    ):
        w.answer(field_id, [], NOT_HELD)
    w.answer("request_for_urgent_action", [], "the submitting party decides")
