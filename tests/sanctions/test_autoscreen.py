"""New and renamed perpetrators are screened at once; until then the gap says "not screened yet"."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from vigil.core.context import change_context
from vigil.importers.viasna import import_viasna
from vigil.records.date_input import parse_date_input
from vigil.records.entry import PersonRef, SentenceInput, TrialInput, record_trial
from vigil.records.models import Involvement, Person, PersonName, Term
from vigil.sanctions import reports
from vigil.sanctions.gap import gap_report
from vigil.sanctions.lists import import_list
from vigil.sanctions.models import ListScreening, ScreeningMatch
from vigil.sanctions.screening import screen

pytestmark = pytest.mark.django_db

# EU Regulation 765/2006 Annex I, entry I.A/103: Maxim Yurevich FILATAU, judge of Lida.
FILATAU = "I.A/103"


@pytest.fixture
def documenter(django_user_model):
    return django_user_model.objects.create_user(
        username="fictional-documenter", password="fictional-pass-Phrase-42", role="documenter"
    )


def _load_eu(eu_file):
    with change_context("test"):
        import_list("eu-765", eu_file, version_date=dt.date(2026, 7, 17))


def _trial(judge: str) -> TrialInput:
    return TrialInput(
        victim=PersonRef.named("Ales Testavy"),
        date=parse_date_input("24.11.2021"),
        judge=PersonRef.named(judge),
        sentence=SentenceInput(months=Decimal(24)),
    )


def _judge(recorded) -> Person:  # type: ignore[no-untyped-def]
    [judge] = {i.perpetrator_person for i in Involvement.objects.filter(act__in=recorded.acts)}
    return judge


def test_new_judge_named_like_an_eu_listed_one_becomes_a_candidate_without_a_manual_screen(
    eu_file, documenter
):
    _load_eu(eu_file)
    with change_context("test", actor=documenter):
        recorded = record_trial(documenter, _trial("Maksim Filatau"))
    judge = _judge(recorded)
    match = ScreeningMatch.objects.get(person=judge, listed_entity__entity_id=FILATAU)
    assert match.decision == "pending"
    report = gap_report(documenter)
    [row] = [r for r in report.rows if r.person == judge]
    assert [s.state for s in row.statuses] == ["pending"]
    assert "candidate on eu-765 (I.A/103" in row.statuses[0].text


def test_renamed_perpetrator_is_screened_again_under_the_new_name(eu_file, documenter):
    _load_eu(eu_file)
    with change_context("test", actor=documenter):
        recorded = record_trial(documenter, _trial("Iudex Testovy"))
    judge = _judge(recorded)
    assert not ScreeningMatch.objects.filter(person=judge).exists()
    assert ListScreening.objects.filter(person=judge).count() == 1  # screened: not found
    with change_context("test", actor=documenter):
        PersonName.objects.create(person=judge, value="Maxim Filatau", script="Latn")
    assert ScreeningMatch.objects.filter(person=judge, listed_entity__entity_id=FILATAU).exists()


def test_unscreened_perpetrator_is_not_screened_yet_in_the_gap_csv_and_text(
    eu_file, documenter, capsys
):
    # Recorded before any list was loaded, and the list imported without screening.
    with change_context("test", actor=documenter):
        recorded = record_trial(documenter, _trial("Iudex Testovy"))
    _load_eu(eu_file)
    judge = _judge(recorded)
    [row] = [r for r in gap_report(documenter).rows if r.person == judge]
    assert [s.state for s in row.statuses] == ["not_screened"]
    summary = gap_report(documenter).summary()
    assert summary[0].endswith("0 on none of the lists loaded.")
    assert "Perpetrators not screened yet against every list loaded: 1." in summary
    csv_text = reports.gap_csv(gap_report(documenter))
    assert "not screened yet against eu-765 (version 2026-07-17)" in csv_text
    assert "not found" not in csv_text
    call_command("sanctions", "gap", acting_user=documenter.username)
    text = capsys.readouterr().out
    assert "Iudex Testovy" in text
    assert "not screened yet against eu-765 (version 2026-07-17)" in text
    assert "not found on eu-765" not in text
    # Screened: now, and only now, "not found".
    with change_context("test"):
        screen()
    [row] = [r for r in gap_report(documenter).rows if r.person == judge]
    assert row.statuses[0].text == "not found on eu-765 (version 2026-07-17)"


def test_a_new_version_of_the_list_is_not_screened_yet_until_screened(eu_file, documenter):
    _load_eu(eu_file)
    with change_context("test", actor=documenter):
        recorded = record_trial(documenter, _trial("Iudex Testovy"))
    judge = _judge(recorded)
    assert [s.state for s in gap_report(documenter).rows[0].statuses] == ["not_found"]
    with change_context("test"):
        import_list("eu-765", eu_file, version_date=dt.date(2026, 9, 1))
    [row] = [r for r in gap_report(documenter).rows if r.person == judge]
    assert row.statuses[0].text == "not screened yet against eu-765 (version 2026-09-01)"


@pytest.mark.slow  # ~0.9 s a run on a quiet 2-core machine
def test_viasna_import_screens_its_new_judges_at_once(eu_file, shared_data):
    _load_eu(eu_file)
    with change_context("test"):
        report = import_viasna(shared_data / "viasna" / "prisoners_sample.csv")
    assert report.screened > 100
    zapasnik = Person.objects.get(display_name="Maryna Zapasnik")
    assert ScreeningMatch.objects.filter(person=zapasnik, listed_entity__entity_id="I.A/102")
    judges = Involvement.objects.filter(role_id=Term.pk_for("perpetrator_role", "judge"))
    screened = set(ListScreening.objects.values_list("person_id", flat=True))
    assert set(judges.values_list("perpetrator_person_id", flat=True)) <= screened
    # A second import of the same file screens nobody again.
    with change_context("test"):
        assert import_viasna(shared_data / "viasna" / "prisoners_sample.csv").screened == 0


def test_merging_a_listed_name_into_a_judge_screens_the_judge(eu_file, documenter):
    from vigil.records.merge import merge_persons

    _load_eu(eu_file)
    with change_context("test", actor=documenter):
        recorded = record_trial(documenter, _trial("Iudex Testovy"))
        judge = _judge(recorded)
        other = Person.objects.create(display_name="Maxim Filatau")
        PersonName.objects.create(person=other, value="Maxim Filatau", is_primary=True)
        merge_persons(keep=judge, duplicate=other, reason="the same judge (fictional test)")
    assert ScreeningMatch.objects.filter(person=judge, listed_entity__entity_id=FILATAU).exists()
