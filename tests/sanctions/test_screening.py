import json

import pytest
from django.core.management import call_command

from vigil.core.context import change_context
from vigil.records.models import Participant, Person
from vigil.sanctions.gap import gap_report
from vigil.sanctions.models import ScreeningMatch
from vigil.sanctions.screening import decide, perpetrators, screen

pytestmark = pytest.mark.django_db


def _screen():
    with change_context("test"):
        return screen()


def test_judges_in_the_viasna_sample_are_screened_against_the_eu_list(record_with_eu_list):
    _screen()
    zapasnik = Person.objects.get(display_name="Maryna Zapasnik")
    match = ScreeningMatch.objects.get(person=zapasnik, listed_entity__entity_id="I.A/102")
    assert match.decision == "pending"
    assert match.score >= 0.9
    assert "zapasnik" in match.explanation.lower()


def test_participants_synthetic_and_withheld_persons_are_never_screened(record_with_eu_list):
    with change_context("test"):
        Person.objects.create(display_name="Maryna Zapasnik", is_synthetic=True)
    _screen()
    screened = set(perpetrators().values_list("pk", flat=True))
    assert not Person.objects.filter(is_synthetic=True, pk__in=screened).exists()
    assert not Person.objects.filter(name_withheld=True, pk__in=screened).exists()
    participant_people = Participant.objects.exclude(person=None).values_list("person", flat=True)
    only_participants = set(participant_people) - set(
        Person.objects.filter(involvements__isnull=False).values_list("pk", flat=True)
    )
    assert not ScreeningMatch.objects.filter(person__in=only_participants).exists()
    assert not ScreeningMatch.objects.filter(person__is_synthetic=True).exists()


def test_only_confirmed_matches_count_as_listed_in_the_gap_report(record_with_eu_list, analyst):
    _screen()
    zapasnik = Person.objects.get(display_name="Maryna Zapasnik")
    row = next(r for r in gap_report(analyst).rows if r.person == zapasnik)
    assert row.statuses[0].state == "pending" and row.unsanctioned
    match = ScreeningMatch.objects.get(person=zapasnik, listed_entity__entity_id="I.A/102")
    with change_context("test"):
        decide(match, "confirmed", note="name and court match")
    row = next(r for r in gap_report(analyst).rows if r.person == zapasnik)
    assert row.statuses[0].state == "listed"
    assert row.listed_by == ["EU"]
    assert "listed on eu-765 (version 2026-07-17) as I.A/102" in row.statuses[0].text
    assert match.version == 2  # the decision is a new version with history


def test_rejected_matches_never_count(record_with_eu_list, analyst):
    _screen()
    zapasnik = Person.objects.get(display_name="Maryna Zapasnik")
    match = ScreeningMatch.objects.get(person=zapasnik, listed_entity__entity_id="I.A/102")
    with change_context("test"):
        decide(match, "rejected")
    row = next(r for r in gap_report(analyst).rows if r.person == zapasnik)
    assert row.statuses[0].state == "not_found"


def test_gap_report_never_says_not_sanctioned_and_names_missing_lists(record_with_eu_list, analyst):
    _screen()
    report = gap_report(analyst)
    texts = [s.text for row in report.rows for s in row.statuses]
    assert all("not sanctioned" not in t for t in texts)
    assert "US" in report.missing_issuers and "UK" in report.missing_issuers
    assert report.summary()[0].startswith("Of ")
    assert report.lists[0].is_stale() is True  # a July 2026 version is over 90 days old


def test_batch_screening_prints_one_json_line_per_query(
    record_with_eu_list, tmp_path, capsys, analyst
):
    queries = tmp_path / "q.txt"
    queries.write_text("Владимир Владимирович Наумов\nMaryna Zapasnik\t1980\n", encoding="utf-8")
    with change_context("test"):
        call_command("sanctions", "screen", str(queries), "--json", acting_user=analyst.username)
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["query"] for x in lines] == ["Владимир Владимирович Наумов", "Maryna Zapasnik"]
    first = lines[0]["matches"][0]
    assert (first["list"], first["entity_id"], first["match"]) == ("eu-765", "I.A/1", True)
    assert set(first) == {"list", "entity_id", "name", "score", "match", "explanation"}


def test_names_compare_reads_pairs_from_a_csv(tmp_path, capsys):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "name1,name2\nВладимир Владимирович Наумов,Uladzimir Uladzimiravich NAVUMAU\n",
        encoding="utf-8",
    )
    with change_context("test"):
        call_command("names", "compare", "--file", str(pairs), "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["match"] is True and 0 <= result["score"] <= 1


def test_dossier_pdf_cites_the_viasna_pages(record_with_eu_list, tmp_path, analyst):
    import shutil
    import subprocess

    from vigil.sanctions.reports import dossier_pdf

    _screen()
    data = dossier_pdf(analyst, Person.objects.get(display_name="Maksim Filatau"))
    assert data.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        path = tmp_path / "d.pdf"
        path.write_bytes(data)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
        assert "prisoners.spring96.org" in text
        assert "Maksim Filatau" in text
