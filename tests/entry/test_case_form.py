"""Cases are created and changed in the UI through the policy, with history; the empty list
says so instead of asking to loosen a filter that is not set."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.entry.conftest import make_person
from vigil.core.context import change_context
from vigil.core.models import Version
from vigil.records.models import Act, Case, Event, Term

pytestmark = pytest.mark.django_db


def _event_of(person):  # type: ignore[no-untyped-def]
    with change_context("test"):
        event = Event.objects.create(title="Fictional prosecution", date=dt.date(2021, 3, 2))
        Act.objects.create(
            event=event,
            act_type_id=Term.pk_for("act_type", "arrest"),
            victim_person=person,
            date=dt.date(2021, 3, 2),
        )
    return event


def test_an_empty_cases_list_says_no_cases_yet_with_a_create_link(documenter_client):
    html = documenter_client.get("/cases/").content.decode()
    assert "No cases yet." in html
    assert 'href="/record/case/new/"' in html
    assert "Loosen a filter" not in html


def test_a_filtered_empty_cases_list_still_suggests_loosening_the_filter(documenter_client):
    html = documenter_client.get("/cases/?status=closed").content.decode()
    assert "Loosen a filter" in html and "No cases yet." not in html


def test_a_viewer_sees_no_create_link_and_may_not_open_the_form(viewer_client):
    html = viewer_client.get("/cases/").content.decode()
    assert "No cases yet." in html and "/record/case/new/" not in html
    assert viewer_client.get("/record/case/new/").status_code == 403


def test_a_case_started_from_a_profile_offers_the_person_and_their_events(
    documenter_client, testavy
):
    event = _event_of(testavy)
    html = documenter_client.get(f"/record/case/new/?person={testavy.pk}").content.decode()
    assert f'name="persons" value="{testavy.pk}"' in html
    assert "Case of Ales Testavy" in html
    assert f'value="{event.pk}" id="event-{event.pk}" checked' in html


def test_a_documenter_creates_a_case_with_a_person_and_an_event_and_history_records_it(
    documenter_client, documenter, testavy
):
    event = _event_of(testavy)
    response = documenter_client.post(
        "/record/case/new/",
        {
            "title": "Fictional case of Ales Testavy",
            "status": "open",
            "description": "Fictional dossier.",
            "confidentiality": "internal",
            "persons": [str(testavy.pk)],
            "events": [str(event.pk)],
        },
    )
    case = Case.objects.get(title="Fictional case of Ales Testavy")
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert list(case.persons.all()) == [testavy] and list(case.events.all()) == [event]
    assert case.created_by == documenter
    created = Version.objects.get(object_id=case.pk, action="create")
    assert created.actor == documenter and created.context_kind == "web"
    page = documenter_client.get(f"/cases/{case.pk}/").content.decode()
    assert "Ales Testavy" in page and f'href="/record/case/{case.pk}/edit/"' in page


def test_a_case_without_a_title_is_refused_beside_the_field_and_nothing_is_saved(
    documenter_client, testavy
):
    response = documenter_client.post(
        "/record/case/new/",
        {"title": "  ", "status": "open", "confidentiality": "internal",
         "persons": [str(testavy.pk)]},
    )  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved yet" in html
    assert f'name="persons" value="{testavy.pk}"' in html  # the choice is kept
    assert not Case.objects.exists()


def test_a_documenter_may_not_publish_a_case(documenter_client, testavy):
    response = documenter_client.post(
        "/record/case/new/",
        {"title": "Fictional public case", "status": "open", "confidentiality": "public"},
    )
    assert response.status_code == 200
    assert not Case.objects.exists()


def test_editing_a_case_changes_it_keeps_hidden_members_and_refuses_a_stale_form(
    documenter_client, documenter, coordinator, testavy
):
    hidden = make_person("Secreta Fictiva", level="restricted", actor=coordinator)
    with change_context("test", actor=documenter):
        case = Case.objects.create(title="Fictional dossier", created_by=documenter)
        case.persons.set([testavy, hidden])
    form = documenter_client.get(f"/record/case/{case.pk}/edit/").content.decode()
    assert "Secreta Fictiva" not in form and "Ales Testavy" in form
    data = {
        "title": "Fictional dossier, renamed",
        "status": "closed",
        "confidentiality": "internal",
        "version": str(case.version),
        "persons": [],  # the visible person removed
    }
    assert documenter_client.post(f"/record/case/{case.pk}/edit/", data).status_code == 302
    case.refresh_from_db()
    assert (case.title, case.status) == ("Fictional dossier, renamed", "closed")
    assert list(case.persons.all()) == [hidden]  # the hidden member stays
    assert Version.objects.filter(object_id=case.pk, action="update").count() == 1
    stale = documenter_client.post(f"/record/case/{case.pk}/edit/", {**data, "title": "Again"})
    assert stale.status_code == 200
    case.refresh_from_db()
    assert case.title == "Fictional dossier, renamed"


def test_a_viewer_may_not_edit_a_case(viewer_client, documenter, testavy):
    with change_context("test", actor=documenter):
        case = Case.objects.create(title="Fictional dossier")
    assert viewer_client.get(f"/record/case/{case.pk}/edit/").status_code == 403
    page = viewer_client.get(f"/cases/{case.pk}/").content.decode()
    assert "/edit/" not in page


def test_the_person_search_of_the_case_form_offers_visible_persons_only(
    documenter_client, coordinator, testavy
):
    make_person("Ales Testavy-Secret", level="restricted", actor=coordinator)
    html = documenter_client.get("/record/case/persons/?add_person=Алесь Тэставы").content.decode()
    assert f'value="{testavy.pk}"' in html
    assert "Secret" not in html
