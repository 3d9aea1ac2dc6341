from pathlib import Path

import pytest

from vigil.core.errors import ImportFailed
from vigil.records.models import Intervention, Organisation, OrganisationName
from vigil.responses.models import StateResponse
from vigil.responses.upr import import_upr

HEADER = "text,to,decision,From,year,notes\n"


def upr_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "upr.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def upr(kind: str):
    return Intervention.objects.filter(
        intervention_type__key="upr_recommendation", **{"state_response__key": kind} if kind else {}
    )


@pytest.fixture
def upr_2010(shared_data: Path) -> Path:
    return shared_data / "upr" / "belarus_upr2010_recommendations.csv"


def test_import_upr_makes_one_intervention_per_recommendation_and_state(ctx, upr_2010):
    report = import_upr(upr_2010)
    assert report.imported == 168
    assert Intervention.objects.filter(intervention_type__key="upr_recommendation").count() == 168
    assert upr("supported").count() == 92
    assert upr("pending").count() == 76


def test_import_upr_treats_consider_as_pending_response_not_silence(ctx, upr_2010):
    import_upr(upr_2010)
    pending = upr("pending")
    assert not pending.filter(state_response__key="none").exists()
    assert StateResponse.objects.filter(response__key="pending").count() == 76
    assert all(i.reference == "A/HRC/15/16" for i in pending)


def test_import_upr_parties_are_foreign_governments_created_once(ctx, upr_2010):
    import_upr(upr_2010)
    states = Organisation.objects.filter(kind__key="foreign_government")
    assert states.count() == 47
    spain = states.get(display_name="Spain")
    assert spain.interventions.count() == 9
    # A long form printed in the text becomes an alias of the state.
    russia = states.get(display_name="Russia")
    assert OrganisationName.objects.filter(
        organisation=russia, value="Russian Federation", kind="alias"
    ).exists()


def test_import_upr_keeps_the_recommendation_text_verbatim(ctx, upr_2010):
    import_upr(upr_2010)
    djibouti = Intervention.objects.get(party__display_name="Djibouti", title__contains="97.3 ")
    assert djibouti.description == (
        "97.3. Harmonise national legislation with international human rights norms (Djibouti);"
    )


def test_reimporting_upr_changes_nothing(ctx, upr_2010):
    import_upr(upr_2010)
    again = import_upr(upr_2010)
    assert again.upsert.total("created") == 0
    assert again.upsert.total("updated") == 0
    assert Intervention.objects.count() == 168
    assert Organisation.objects.filter(kind__key="foreign_government").count() == 47


def test_same_number_from_two_states_makes_two_recommendations(ctx, tmp_path):
    path = upr_file(
        tmp_path,
        '"98.1. Ratify a fictional protocol (Utopia, Erewhon);",belarus,consider,Utopia,2010,\n'
        '"98.1. Ratify a fictional protocol (Utopia, Erewhon);",belarus,consider,Erewhon,2010,\n',
    )
    import_upr(path)
    assert set(Intervention.objects.values_list("party__display_name", flat=True)) == {
        "Utopia",
        "Erewhon",
    }


def test_import_upr_reports_bad_rows_with_line_numbers_and_writes_nothing(ctx, tmp_path):
    path = upr_file(
        tmp_path,
        "97.1. A fictional recommendation (Utopia);,belarus,support,Utopia,2010,\n"
        "97.2. Another (Erewhon);,belarus,maybe,Erewhon,2010,\n"
        "97.3. A third (Utopia);,belarus,support,,2010,\n",
    )
    with pytest.raises(ImportFailed) as caught:
        import_upr(path)
    lines = dict(caught.value.problems)
    assert set(lines) == {3, 4}
    assert "decision" in lines[3] and "From" in lines[4]
    assert Intervention.objects.count() == 0


def test_import_upr_rejects_a_repeated_recommendation(ctx, tmp_path):
    row = "97.1. A fictional recommendation (Utopia);,belarus,support,Utopia,2010,\n"
    with pytest.raises(ImportFailed) as caught:
        import_upr(upr_file(tmp_path, row + row))
    assert caught.value.problems == [(3, "repeats the recommendation and state of line 2")]


def test_import_upr_rejects_a_file_with_the_wrong_columns(ctx, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("name,decision\nx,support\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="line 1"):
        import_upr(path)


def test_import_upr_asks_for_the_document_of_an_unknown_review(ctx, tmp_path):
    path = upr_file(tmp_path, "1.1. Fictional (Utopia);,erewhon,support,Utopia,2031,\n")
    with pytest.raises(ImportFailed, match="--reference"):
        import_upr(path)
    import_upr(path, reference="A/HRC/00/00-FICTIONAL")
    assert Intervention.objects.get().reference == "A/HRC/00/00-FICTIONAL"
