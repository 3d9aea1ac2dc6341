"""The gap report lists confirmed listings first, then candidates, not found, not screened yet,
in the same order on every surface; its PDF never splits a row across pages."""

import csv
import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string

from vigil.core.context import change_context
from vigil.records.models import Act, Event, Involvement, Person, PersonName, Term
from vigil.sanctions import reports
from vigil.sanctions.gap import gap_report
from vigil.sanctions.labels import STANDINGS
from vigil.sanctions.lists import import_list
from vigil.sanctions.models import ListScreening, ScreeningMatch
from vigil.sanctions.screening import decide, screen

pytestmark = pytest.mark.django_db


@pytest.fixture
def screened(record_with_eu_list, analyst):
    """The real sample and EU list, screened; one candidate confirmed, one judge unscreened."""
    with change_context("test", actor=analyst):
        screen()
        match = ScreeningMatch.objects.get(
            person__display_name="Maryna Zapasnik", listed_entity__entity_id="I.A/102"
        )
        decide(match, "confirmed", user=analyst)
    report = gap_report(analyst)
    not_found = next(r for r in report.rows if r.standing == "not_found")
    ListScreening.objects.filter(person=not_found.person).delete()
    return analyst, not_found.person


def _names_in_order(text: str, names: list[str]) -> list[str]:
    """``names`` in the order they first appear in ``text``."""
    return sorted(names, key=lambda n: text.index(n))


def test_rows_come_listed_then_candidates_then_not_found_then_not_screened(screened):
    analyst, unscreened = screened
    rows = gap_report(analyst).rows
    standings = [r.standing for r in rows]
    assert standings == sorted(standings, key=STANDINGS.index)
    assert set(standings) == set(STANDINGS)
    assert rows[0].person.display_name == "Maryna Zapasnik"
    assert rows[-1].person == unscreened


@pytest.mark.slow  # ~0.9 s a run on a quiet 2-core machine
def test_csv_html_pdf_text_and_page_list_the_rows_in_one_order(screened, client):
    from vigil.accounts.testing import login_verified

    analyst, _ = screened
    report = gap_report(analyst)
    expected = [r.person.display_name for r in report.rows]
    # The CSV: the same order, with the standing as a code beside the role labels.
    table = list(csv.DictReader(io.StringIO(reports.gap_csv(report))))
    assert [row["perpetrator"] for row in table] == expected
    assert [row["standing"] for row in table] == [r.standing for r in report.rows]
    assert table[0]["roles"] == "judge" and table[0]["role labels"] == "Judge"
    # Printed HTML (the PDF's source), the page and the command's text.
    printed = reports.gap_html(report, for_pdf=True)
    assert _names_in_order(printed, expected) == expected
    login_verified(client, analyst)
    page = client.get("/sanctions/gap/").content.decode()
    body = page[page.index("<tbody", page.index("Perpetrators</h2>")) :]
    assert _names_in_order(body, expected) == expected
    out = io.StringIO()
    call_command("sanctions", "gap", acting_user=analyst.username, stdout=out)
    assert _names_in_order(out.getvalue(), expected) == expected


def test_the_dossier_lists_the_listing_before_the_candidate(record_with_eu_list, analyst, eu_file):
    with change_context("test", actor=analyst):
        import_list("eu-765", eu_file, name="eu-765-second", version_date=dt.date(2026, 7, 17))
        screen()
        # Listed on the second list (by name, the report's second column), candidate on the first.
        second = ScreeningMatch.objects.get(
            person__display_name="Maryna Zapasnik",
            listed_entity__sanctions_list__name="eu-765-second",
        )
        decide(second, "confirmed", user=analyst)
    person = Person.objects.get(display_name="Maryna Zapasnik")
    [row] = [r for r in gap_report(analyst).rows if r.person == person]
    assert [s.state for s in row.statuses] == ["pending", "listed"]
    assert [s.state for s in row.statuses_in_order] == ["listed", "pending"]
    html = render_to_string("sanctions/dossier.html", reports.dossier_context(analyst, person))
    assert html.index("listed on the EU Belarus list") < html.index("candidate I.A/102")
    assert "eu-765-second" in html  # a list imported under its own name keeps that name
    lists = html[html.index("Screening candidates:") :]
    assert lists.index("confirmed: same person") < lists.index("awaiting review")


def _fictional_perpetrators(count: int) -> None:
    """Perpetrators with names long enough to wrap in the PDF's narrow first column."""
    sentence = Term.pk_for("act_type", "sentence")
    judge = Term.pk_for("perpetrator_role", "judge")
    prosecutor = Term.pk_for("perpetrator_role", "prosecutor")
    victim = Person.objects.create(
        display_name="Victima Fictionalis", is_synthetic=True, notes="Fictional (tests)."
    )
    for i in range(count):
        name = f"Iudex{i:03d} Longinus Maximilianus Aurelius Fictus Testovy{i:03d}"
        person = Person.objects.create(display_name=name, notes="Fictional judge (tests).")
        PersonName.objects.create(person=person, value=name, script="Latn", is_primary=True)
        event = Event.objects.create(title=f"Fictional trial {i:03d}", date=dt.date(2021, 3, 1))
        for _ in range(1 + i % 3):
            act = Act.objects.create(
                event=event, act_type_id=sentence, victim_person=victim, date=dt.date(2021, 3, 1)
            )
            Involvement.objects.create(act=act, perpetrator_person=person, role_id=judge)
            Involvement.objects.create(act=act, perpetrator_person=person, role_id=prosecutor)


@pytest.mark.slow  # a many-page PDF rendered and read back: ~4 s
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_the_gap_pdf_never_splits_a_row_across_pages(db, analyst, tmp_path):
    with change_context("test", actor=analyst):
        _fictional_perpetrators(60)
    pdf = tmp_path / "gap.pdf"
    pdf.write_bytes(reports.gap_pdf(gap_report(analyst)))
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    assert len(pages) > 3, "the report must span several pages for the check to mean anything"
    for i in range(60):
        first, last = f"Iudex{i:03d}", f"Testovy{i:03d}"
        [start] = [n for n, page in enumerate(pages) if first in page]
        [end] = [n for n, page in enumerate(pages) if last in page]
        assert start == end, f"row {i} starts on page {start + 1} and ends on page {end + 1}"
    # The header row repeats on every page of the table.
    table_pages = [p for p in pages if "Iudex" in p]
    assert all("perpetrator" in p for p in table_pages)


def test_the_decide_command_sets_a_decision_back_to_review_as_an_undo(record_with_eu_list, analyst):
    from vigil.audit.models import AuditEntry

    with change_context("test"):
        screen()
    args = ("sanctions", "decide", "Maryna Zapasnik", "eu-765", "I.A/102")
    call_command(*args, "confirmed", acting_user=analyst.username, stdout=io.StringIO())
    call_command(*args, "pending", acting_user=analyst.username, stdout=io.StringIO())
    match = ScreeningMatch.objects.get(
        person__display_name="Maryna Zapasnik", listed_entity__entity_id="I.A/102"
    )
    assert match.decision == "pending" and match.review_note == "decision confirmed undone"
    undo = AuditEntry.objects.filter(event="screening_decision", object_id=str(match.pk))
    assert [e.meta.get("action") for e in undo.order_by("seq")] == [None, "undo"]
