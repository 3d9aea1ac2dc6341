import datetime as dt

import pytest

from tests.record_acts import act_of
from vigil.core.context import change_context
from vigil.core.history import history_of
from vigil.records.models import Counsel, Person
from vigil.responses.coding import code_act, decide, suggest
from vigil.responses.models import ViolationCoding
from vigil.responses.rules import every_motion_refused, trial_minutes

from .conftest import charge, cite, imprisonment, person

D = dt.date


def codes(report):
    return sorted(c.standard_id for c in report.created)


def test_detention_on_a_speech_charge_suggests_wgad_ii_and_the_right(ctx):
    victim = person("Oratrix Fictiva (fictional)")
    sentence = imprisonment(victim, D(2021, 5, 1))
    charge(sentence, "368", "Art. 368 of the Criminal Code (fictional wording)")
    report = suggest(person=victim)
    assert codes(report) == ["iccpr:19:2", "wgad:II"]
    rationale = report.created[0].rationale
    assert "Art. 368 CC" in rationale and "freedom of expression" in rationale
    assert "summary written for Vigil, not official text" in rationale


def test_a_tax_charge_suggests_nothing(ctx):
    victim = person("Contribuens Fictus (fictional)")
    charge(imprisonment(victim, D(2021, 5, 1)), "243", "Art. 243 (fictional wording)")
    assert suggest(person=victim).created == []


def test_association_charge_without_deprivation_of_liberty_suggests_nothing(ctx):
    victim = person("Socia Fictiva (fictional)")
    charge(act_of(victim, "charge", D(2022, 1, 1)), "361-1", "Art. 361-1 (fictional)")
    assert suggest(person=victim).created == []


def test_short_trial_with_every_motion_refused_suggests_fair_trial_and_wgad_iii(ctx):
    from vigil.records.models import Source

    victim = person("Rea Fictiva (fictional)")
    trial = act_of(victim, "trial", D(2022, 2, 2))
    source = Source.objects.create(title="Fictional trial-monitoring report")
    cite(source, trial, "The whole trial lasted 25 minutes.")
    cite(source, trial, "All motions of the defence were rejected by the court.")
    report = suggest(person=victim)
    assert codes(report) == ["iccpr:14:1", "wgad:III"]
    coding = report.created[0]
    assert (
        "25 minutes" in coding.rationale and "Fictional trial-monitoring report" in coding.rationale
    )
    assert not coding.rests_on_reader_comment


def test_a_long_trial_or_one_refused_motion_suggests_nothing(ctx):
    victim = person("Rea Altera (fictional)")
    trial = act_of(
        victim,
        "trial",
        D(2022, 2, 2),
        description="The trial lasted 90 minutes. One motion was denied.",
    )
    assert trial.description and suggest(person=victim).created == []


def test_seed_trial_suggestion_says_it_rests_on_a_readers_comment(ctx):
    from vigil.demo.seed_loader import load_seed_facts_into_record

    load_seed_facts_into_record()
    bialiatski = Person.objects.get(display_name="Ales Bialiatski")
    report = suggest(person=bialiatski)
    trial_codings = [c for c in report.created if c.rule == "unfair_trial"]
    assert sorted(c.standard_id for c in trial_codings) == ["iccpr:14:1", "wgad:III"]
    for coding in trial_codings:
        assert coding.rests_on_reader_comment
        assert "reader's comment" in coding.rationale
        assert "40 minutes" in coding.rationale
    # He is a defender, not a lawyer: no Basic Principles, and the tax charge is no speech charge.
    assert not any(c.standard_id.startswith("bprl:") for c in report.created)
    assert not any(c.rule == "detention_for_rights" for c in report.created)
    detained = [c for c in report.created if c.rule == "defender_detained"]
    assert {c.standard_id for c in detained} == {"hrdd:1", "hrdd:12", "wgad:II", "wgad:V"}


def test_disbarred_lawyer_suggests_basic_principles_citing_defence_work(ctx):
    lawyer = person("Advocata Fictiva (fictional)", "lawyer")
    client = person("Cliens Fictus (fictional)")
    Counsel.objects.create(act=act_of(client, "trial", D(2021, 3, 3)), lawyer=lawyer)
    act_of(lawyer, "disbarment", D(2021, 9, 9))
    report = suggest(person=lawyer)
    assert codes(report) == ["bprl:16", "bprl:18"]
    assert "Cliens Fictus (fictional)" in report.created[0].rationale


def test_disbarred_lawyer_with_no_recorded_defence_work_asks_to_confirm(ctx):
    lawyer = person("Advocatus Solus (fictional)", "lawyer")
    act_of(lawyer, "disbarment", D(2021, 9, 9))
    [first, _] = suggest(person=lawyer).created
    assert "No defence work by them is recorded" in first.rationale


def test_detained_defender_gets_declaration_and_a_conditional_category_v(ctx):
    defender = person("Defensor Imaginarius (fictional)", "human_rights_defender")
    act_of(defender, "arrest", D(2023, 3, 3))
    report = suggest(person=defender)
    assert codes(report) == ["hrdd:1", "hrdd:12", "wgad:II", "wgad:V"]
    category_v = next(c for c in report.created if c.standard_id == "wgad:V")
    assert "discrimination" in category_v.rationale


def test_suggest_twice_creates_nothing_new_and_keeps_rejections(ctx):
    defender = person("Defensor Imaginarius (fictional)", "human_rights_defender")
    act_of(defender, "arrest", D(2023, 3, 3))
    first = suggest(person=defender)
    decide(first.created[0].pk, "rejected", "fictional reason")
    second = suggest(person=defender)
    assert second.created == [] and second.already_coded == 4
    assert ViolationCoding.objects.get(pk=first.created[0].pk).status == "rejected"


def test_synthetic_persons_get_no_suggestions(ctx):
    synthetic = person("Synthetica Lex", "human_rights_defender", synthetic=True)
    act_of(synthetic, "arrest", D(2023, 3, 3))
    assert suggest().created == []


def test_accept_and_reject_are_kept_in_the_history_with_who_decided(ctx, analyst):
    defender = person("Defensor Imaginarius (fictional)", "human_rights_defender")
    act_of(defender, "arrest", D(2023, 3, 3))
    coding = suggest(person=defender).created[0]
    with change_context("web", actor=analyst):
        decide(coding.pk, "accepted")
    with change_context("web", actor=analyst):
        decide(coding.pk, "rejected", "second thoughts (fictional)")
    coding.refresh_from_db()
    assert coding.status == "rejected" and coding.decided_by == analyst
    versions = list(history_of(coding))
    assert [v.snapshot["status"] for v in versions] == ["suggested", "accepted", "rejected"]
    assert versions[-1].context_kind == "web"


def test_decide_refuses_an_unknown_decision(ctx):
    from vigil.core.errors import NotFound, ValidationFailed

    with pytest.raises(ValidationFailed):
        decide("00000000-0000-0000-0000-000000000000", "maybe")
    with pytest.raises(NotFound):
        decide("00000000-0000-0000-0000-000000000000", "accepted")


def test_manual_coding_needs_a_rationale_and_is_accepted(ctx):
    from vigil.core.errors import ValidationFailed

    target = act_of(person("Victima Fictiva (fictional)"), "ill_treatment", D(2022, 1, 1))
    with pytest.raises(ValidationFailed):
        code_act(target, "cat:16", " ")
    coding = code_act(target, "cat:16", "Fictional rationale.")
    assert coding.status == "accepted"


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("his entire trial only took 40 minutes", 40),
        ("a 15-minute hearing", 15),
        ("the trial lasted three days", None),
    ],
)
def test_trial_minutes_reads_stated_durations(text, minutes):
    assert trial_minutes(text) == minutes


def test_every_motion_refused_needs_all_motions():
    assert every_motion_refused("all of his motions were denied by the judge")
    assert not every_motion_refused("one motion was denied")
