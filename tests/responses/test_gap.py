import datetime as dt

from tests.record_acts import act_of
from vigil.records.models import Intervention
from vigil.responses.gap import response_gap
from vigil.responses.interventions import (
    add_beneficiary,
    add_follow_up,
    create_intervention,
    overdue_follow_ups,
    record_response,
)

from .conftest import imprisonment, person

D = dt.date


def test_gap_lists_detained_lawyer_with_no_response_of_any_kind(ctx, analyst):
    lawyer = person("Advocata Fictiva (fictional)", "lawyer")
    act_of(lawyer, "arrest", D(2023, 1, 5))
    gap = response_gap(analyst)
    [row] = gap.detained
    assert row.person == lawyer
    assert row.missing == ("un_communication", "wgad_opinion", "statement")


def test_gap_names_only_what_is_missing(ctx, analyst):
    defender = person("Defensor Imaginarius (fictional)", "human_rights_defender")
    arrest = act_of(defender, "arrest", D(2022, 4, 1))
    create_intervention("urgent_appeal", persons=[defender])
    create_intervention("statement", acts=[arrest])
    [row] = response_gap(analyst).detained
    assert row.missing == ("wgad_opinion",)


def test_gap_leaves_out_released_persons_other_professions_and_synthetic_persons(ctx, analyst):
    released = person("Liberata Fictiva (fictional)", "lawyer")
    act_of(released, "arrest", D(2021, 1, 1))
    act_of(released, "release", D(2021, 2, 1))
    journalist = person("Scriptor Fictus (fictional)", "journalist")
    act_of(journalist, "arrest", D(2021, 1, 1))
    synthetic = person("Synthetica Lex", "lawyer", synthetic=True)
    imprisonment(synthetic, D(2021, 1, 1))
    assert response_gap(analyst).detained == []


def test_gap_counts_narrower_professions(ctx, analyst):
    worker = person("Operaria Iurium (fictional)", "human_rights_worker")
    imprisonment(worker, D(2022, 3, 3))
    assert [r.person for r in response_gap(analyst).detained] == [worker]


def test_communication_without_state_response_is_in_the_gap_until_answered(ctx, analyst):
    appeal = create_intervention("urgent_appeal", title="Fictional urgent appeal")
    assert response_gap(analyst).unanswered == [appeal]
    record_response(appeal, "acknowledged", date=D(2024, 2, 1), summary="Fictional reply.")
    assert response_gap(analyst).unanswered == []
    appeal.refresh_from_db()
    assert appeal.state_response_id == "state_response.acknowledged"
    assert appeal.status_id == "intervention_status.responded"


def test_a_response_of_none_leaves_the_communication_unanswered(ctx, analyst):
    appeal = create_intervention("allegation_letter")
    record_response(appeal, "none", date=D(2024, 5, 1))
    assert response_gap(analyst).unanswered == [appeal]


def test_state_response_history_keeps_every_response_and_the_latest_is_current(ctx):
    opinion = create_intervention("wgad_opinion")
    record_response(opinion, "pending", date=D(2024, 1, 1))
    record_response(opinion, "rejected", date=D(2024, 6, 1))
    record_response(opinion, "acknowledged", date=None, summary="Undated fictional note.")
    assert opinion.state_responses.count() == 3
    opinion.refresh_from_db()
    assert opinion.state_response_id == "state_response.rejected"


def test_overdue_follow_up_needs_past_due_date_and_no_response(ctx):
    late = create_intervention("urgent_appeal", follow_up_due=D(2024, 1, 1))
    create_intervention("urgent_appeal", follow_up_due=D(2030, 1, 1))
    answered = create_intervention("urgent_appeal", follow_up_due=D(2024, 1, 1))
    record_response(answered, "acknowledged", date=D(2024, 2, 1))
    assert [o.intervention for o in overdue_follow_ups(D(2025, 1, 1))] == [late]


def test_follow_up_rows_become_overdue_and_drop_out_when_done(ctx):
    appeal = create_intervention("urgent_appeal")
    follow_up = add_follow_up(appeal, D(2024, 3, 1), "Send a fictional reminder")
    assert [o.action for o in overdue_follow_ups(D(2024, 4, 1))] == ["Send a fictional reminder"]
    follow_up.done_on = D(2024, 3, 2)
    follow_up.save()
    assert overdue_follow_ups(D(2024, 4, 1)) == []


def test_beneficiary_is_restricted_even_when_saved_as_internal(ctx):
    grant = create_intervention("protection_grant")
    beneficiary = add_beneficiary(
        grant,
        person("Beneficiaria Fictiva (fictional)", "lawyer"),
        "relocation",
        confidentiality="internal",
    )
    assert beneficiary.confidentiality == "restricted"


def test_gap_as_dict_is_json_ready(ctx, analyst):
    import json

    lawyer = person("Advocata Fictiva (fictional)", "lawyer")
    act_of(lawyer, "arrest", D(2023, 1, 5))
    create_intervention("urgent_appeal")
    data = json.loads(json.dumps(response_gap(analyst).as_dict()))
    assert data["detained_without_response"][0]["missing"] == [
        "no UN communication",
        "no WGAD opinion",
        "no public statement",
    ]
    assert len(data["communications_without_state_response"]) == 1
    assert Intervention.objects.count() == 1


def test_gap_flags_a_sentence_that_ended_with_no_release_recorded(ctx, analyst):
    lawyer = person("Advocata Vetera (fictional)", "lawyer")
    imprisonment(lawyer, D(2011, 1, 1), months=12)
    [row] = response_gap(analyst).detained
    assert row.as_dict()["term_ended_without_recorded_release"] is True
    assert row.as_dict()["term_ends"] == "2012-01-01"


def test_gap_names_professions_by_their_labels(ctx, analyst):
    defender = person("Defensor Imaginarius (fictional)", "human_rights_defender")
    act_of(defender, "arrest", D(2022, 4, 1))
    [row] = response_gap(analyst).detained
    assert row.professions == ("Human rights defenders",)


def test_gap_names_professions_in_the_page_language(ctx, analyst):
    from django.utils import translation

    from vigil.records.models import Term

    defender = person("Defensor Imaginarius (fictional)", "human_rights_defender")
    act_of(defender, "arrest", D(2022, 4, 1))
    term = Term.objects.get(vocabulary="profession", key="human_rights_defender")
    for language in ("be", "ru"):
        with translation.override(language):
            [row] = response_gap(analyst).detained
        assert row.professions == (term.label(language),)
        assert term.label(language) != "Human rights defenders"
