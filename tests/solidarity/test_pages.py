"""The monitoring, campaign and calendar pages: forms through the services, in three languages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from vigil.accounts.testing import login_verified
from vigil.audit.models import AuditEntry
from vigil.solidarity.models import Hearing, ObservationReport, ObserverAssignment, Statement

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    return login_verified(Client(raise_request_exception=False), user)


def _add_hearing(client, world) -> Hearing:
    response = client.post(
        "/monitoring/new/",
        {
            "case": str(world.case.pk),
            "kind": "appeal",
            "date": "2026-03-02",
            "court": str(world.court.pk),
            "judge": str(world.judge.pk),
            "prosecutor": "",
            "appeal_deadline": "",
        },
    )
    hearing = Hearing.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{hearing.pk}/")
    return hearing


def test_a_coordinator_records_a_hearing_assigns_an_observer_and_files_a_report(world):
    client = _client(world.users["coordinator"])
    form = client.get("/monitoring/new/")
    assert form.status_code == 200
    assert "Fictional District Court" in form.content.decode()
    judges = client.get("/monitoring/new/judges/", {"judge_search": "Exemplarov"}).content
    assert "Fictional Judex Exemplarov" in judges.decode()  # offered by the judge search
    hearing = _add_hearing(client, world)
    analyst = world.users["analyst"]
    assert client.post(f"/monitoring/hearings/{hearing.pk}/assign/", {"observer": analyst.pk})[
        "Location"
    ].endswith(f"/{hearing.pk}/")
    assert ObserverAssignment.objects.get().observer == analyst
    shown = client.get(f"/monitoring/hearings/{hearing.pk}/").content.decode()
    assert "No observer is assigned." not in shown
    assert f"<li>{analyst.username}</li>" in shown
    report = client.post(
        f"/monitoring/hearings/{hearing.pk}/report/",
        {"access": "refused_entry", "check_public_hearing": "no", "duration_minutes": "40"},
    )
    assert report.status_code == 302
    filed = ObservationReport.objects.get()
    assert filed.refusal_act.act_type_id == "act_type.refusal_of_entry"
    page = client.get(f"/monitoring/hearings/{hearing.pk}/").content.decode()
    assert "The hearing was public" in page and "refused entry to the courtroom" in page


def test_a_bad_report_is_a_form_error_not_a_crash(world):
    client = _client(world.users["coordinator"])
    hearing = _add_hearing(client, world)
    response = client.post(
        f"/monitoring/hearings/{hearing.pk}/report/",
        {"access": "admitted", "duration_minutes": "-5", "check_public_hearing": "maybe"},
    )
    assert response.status_code == 200
    assert not ObservationReport.objects.exists()


def test_the_monitoring_report_downloads_as_docx_and_is_audited(world):
    client = _client(world.users["coordinator"])
    hearing = _add_hearing(client, world)
    response = client.get(f"/monitoring/cases/{hearing.case_id}/report.docx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="monitoring-')
    assert response.content[:2] == b"PK"
    entry = AuditEntry.objects.filter(event="export").latest("seq")
    assert entry.meta["route"] == "solidarity:report" and entry.meta["format"] == "docx"


def test_a_hidden_hearing_is_a_404_to_an_outsider(world):
    admin = _client(world.users["admin"])
    hidden = {"case": str(world.hidden_case.pk), "kind": "appeal", "date": "2026-03-02"}
    admin.post("/monitoring/new/", hidden)
    hearing = Hearing.objects.get()
    outsider = _client(world.users["analyst"])
    assert outsider.get(f"/monitoring/hearings/{hearing.pk}/").status_code == 404
    assert outsider.get(f"/monitoring/cases/{world.hidden_case.pk}/report.pdf").status_code == 404
    assert "Canarycase" not in outsider.get("/monitoring/").content.decode()
    assert "Canarycase" not in outsider.get("/monitoring/new/").content.decode()


def test_a_statement_added_from_a_profile_is_shown_on_the_profile(world):
    client = _client(world.users["analyst"])
    profile = client.get(f"/persons/{world.defendant.pk}/").content.decode()
    assert f"/campaigns/new/?person={world.defendant.pk}" in profile
    response = client.post(
        "/campaigns/new/",
        {
            "title": "Fictional statement of solidarity",
            "kind": "statement",
            "author_text": "Fictional Lawyers for Lawyers",
            "persons": str(world.defendant.pk),
            "confidentiality": "internal",
            "signatories": "Fictional Bar A\nFictional Bar B",
        },
    )
    statement = Statement.objects.get()
    assert response.status_code == 302
    profile = client.get(f"/persons/{world.defendant.pk}/").content.decode()
    assert "Fictional statement of solidarity" in profile
    detail = client.get(f"/campaigns/{statement.pk}/").content.decode()
    assert "Fictional Bar B" in detail and "Fictional Defendia Testovna" in detail


@pytest.mark.parametrize(
    ("lang", "words"),
    [("be", ("Маніторынг", "Каляндар")), ("ru", ("Мониторинг", "Календарь"))],
)
def test_the_pages_speak_belarusian_and_russian(world, lang, words):
    client = _client(world.users["analyst"])
    client.cookies["django_language"] = lang
    for path in ("/monitoring/", "/campaigns/", "/calendar/", "/monitoring/new/"):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=lang)
        assert response.status_code == 200, path
    body = client.get("/calendar/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert all(w in body for w in words), lang


def test_the_calendar_page_shows_the_feed_address_once(world):
    client = _client(world.users["analyst"])
    assert client.post("/calendar/feed/").status_code == 302
    first = client.get("/calendar/").content.decode()
    assert "/calendar/feed/" in first and ".ics" in first
    assert ".ics" not in client.get("/calendar/").content.decode()
    _ = dt


def test_a_statement_picks_its_author_persons_and_cases_from_the_record(world):
    from vigil.core.context import change_context
    from vigil.records.models import Organisation

    with change_context("test"):
        bar = Organisation.objects.create(display_name="Fictional Bar of Exampleland")
        secret = Organisation.objects.create(
            display_name="Fictional Bar Canaryorg", confidentiality="secret"
        )
    client = _client(world.users["analyst"])
    form = client.get(f"/campaigns/new/?person={world.defendant.pk}").content.decode()
    assert "Fictional Defendia Testovna" in form and 'name="persons"' in form
    assert "Fictional case" in form and "Canarycase" not in form  # the cases offered
    assert "(ids)" not in form  # nothing asks for a typed id
    found = client.get("/campaigns/new/organisations/", {"author_search": "bar of"}).content
    assert str(bar.pk) in found.decode() and b"Canaryorg" not in found
    hidden = client.get("/campaigns/new/organisations/", {"author_search": "Canaryorg"})
    assert str(secret.pk).encode() not in hidden.content and b"No organisation" in hidden.content
    response = client.post(
        "/campaigns/new/",
        {
            "title": "Fictional letter picked from the record",
            "kind": "letter",
            "author": str(bar.pk),
            "persons": [str(world.defendant.pk)],
            "cases": [str(world.case.pk)],
            "confidentiality": "internal",
        },
    )
    assert response.status_code == 302
    statement = Statement.objects.get()
    assert statement.author == bar
    assert list(statement.persons.all()) == [world.defendant]
    assert list(statement.cases.all()) == [world.case]


def test_a_statement_about_a_hidden_case_is_refused_without_losing_what_was_typed(world):
    client = _client(world.users["analyst"])
    response = client.post(
        "/campaigns/new/",
        {
            "title": "Fictional letter about a hidden case",
            "kind": "letter",
            "author_text": "Fictional Lawyers Union",
            "persons": [str(world.defendant.pk)],
            "cases": [str(world.hidden_case.pk)],
            "confidentiality": "internal",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Statement.objects.exists()
    assert "Fictional letter about a hidden case" in page  # the title is kept
    assert "Fictional Defendia Testovna" in page and "Canarycase" not in page
