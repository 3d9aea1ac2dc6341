"""The hearing and statement forms choose cases, judges and prosecutors by searching the record
through the access policy: any case among thousands can be chosen, a hidden one never shows
nor saves, and with no case at all the form says what to do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import term
from vigil.accounts.testing import login_verified
from vigil.core.context import change_context
from vigil.records.models import Act, Case, Event, Involvement, Person
from vigil.solidarity.models import Hearing, Statement
from vigil.solidarity.options import find_cases, find_officials

pytestmark = pytest.mark.django_db

# The hearing form listed the first 500 visible cases by title; one more than that.
OLD_LIMIT = 500


def _client(user) -> Client:
    return login_verified(Client(raise_request_exception=False), user)


def _many_cases(n: int) -> Case:
    """``n`` fictional cases, the last sorting after every other title."""
    with change_context("test", detail="many cases"):
        Case.objects.bulk_create(
            [Case(title=f"Fictional bulk case {i:04d}") for i in range(n - 1)]
        )
        return Case.objects.create(title="Fictional zeta case Ultimova")


def _hearing_post(case_pk, **extra) -> dict[str, str]:
    return {"case": str(case_pk), "kind": "appeal", "date": "2027-03-02", **extra}


def test_with_more_cases_than_the_old_limit_the_last_one_is_found_and_saved(world):
    last = _many_cases(OLD_LIMIT + 1)
    client = _client(world.users["coordinator"])
    found = client.get("/monitoring/new/cases/", {"case_search": "zeta case"}).content.decode()
    assert "Fictional zeta case Ultimova" in found and f'value="{last.pk}"' in found
    response = client.post("/monitoring/new/", _hearing_post(last.pk))
    hearing = Hearing.objects.get()
    assert response.status_code == 302 and hearing.case == last


def test_a_case_is_found_by_the_name_of_a_person_in_it_in_another_script(world):
    with change_context("test"):
        person = Person.objects.create(display_name="Ales Bialiatski")
        case = Case.objects.create(title="Fictional case without the name")
        case.persons.add(person)
    found = find_cases(world.users["coordinator"], "Беляцкий")
    assert case in found


def test_a_cyrillic_title_is_found_typed_in_lower_case(world):
    with change_context("test"):
        case = Case.objects.create(title="Дело Фиктивной Защитницы")
    assert find_cases(world.users["coordinator"], "дело фиктивной") == [case]


def test_a_judge_is_found_by_name_and_a_non_judge_is_not(world):
    coordinator = world.users["coordinator"]
    assert find_officials(coordinator, "Exemplarov", "judge") == [world.judge]
    assert find_officials(coordinator, "Testovna", "judge") == []  # the defendant
    assert find_officials(coordinator, "Probov", "prosecutor") == [world.prosecutor]
    assert find_officials(coordinator, "Probov", "judge") == []


def test_a_case_the_user_may_not_view_is_refused_on_post_and_never_offered(world):
    client = _client(world.users["analyst"])
    found = client.get("/monitoring/new/cases/", {"case_search": "hidden case"})
    assert found.status_code == 200 and b"No case you may see" in found.content
    assert b"Canarycase" not in found.content
    assert str(world.hidden_case.pk).encode() not in found.content
    with change_context("test"):
        world.hidden_case.persons.add(world.defendant)  # a visible person in a hidden case
    by_person = client.get("/monitoring/new/cases/", {"case_search": "Defendia Testovna"})
    assert str(world.case.pk).encode() in by_person.content
    assert str(world.hidden_case.pk).encode() not in by_person.content
    assert b"Canarycase" not in by_person.content
    response = client.post("/monitoring/new/", _hearing_post(world.hidden_case.pk))
    page = response.content.decode()
    assert response.status_code == 200 and not Hearing.objects.exists()
    assert "This case is not one you may choose" in page
    assert "Canarycase" not in page


def test_a_hidden_judge_and_a_malformed_id_are_form_errors_not_crashes(world):
    with change_context("test"):
        hidden = Person.objects.create(display_name="Fictional Judex Canaryjudge")
        hidden.confidentiality = "secret"
        hidden.save()
        act = Act.objects.create(
            event=Event.objects.create(title="Fictional hidden trial", date=dt.date(2026, 2, 1)),
            act_type_id=term("act_type", "trial"),
            date=dt.date(2026, 2, 1),
        )
        Involvement.objects.create(
            act=act, perpetrator_person=hidden, role_id=term("perpetrator_role", "judge")
        )
    client = _client(world.users["analyst"])
    judges = client.get("/monitoring/new/judges/", {"judge_search": "Fictional Judex"}).content
    assert b"Exemplarov" in judges and b"Canaryjudge" not in judges
    assert str(hidden.pk).encode() not in judges
    response = client.post("/monitoring/new/", _hearing_post(world.case.pk, judge=hidden.pk))
    page = response.content.decode()
    assert response.status_code == 200 and not Hearing.objects.exists()
    assert "Search for the judge again" in page and "Canaryjudge" not in page
    assert "Fictional case of Defendia Testovna" in page  # the chosen case is kept
    broken = client.post("/monitoring/new/", _hearing_post("not-an-id"))
    assert broken.status_code == 200 and "Choose one from the list." in broken.content.decode()
    empty = client.post("/monitoring/new/", _hearing_post(""))
    assert "Choose the case the hearing belongs to." in empty.content.decode()


def test_without_any_case_the_form_explains_and_links_to_recording_one(users):
    page = _client(users["coordinator"]).get("/monitoring/new/").content.decode()
    assert "A hearing belongs to a case recorded in Vigil" in page
    assert f'href="{reverse("entry:case_new")}"' in page
    assert 'action="/monitoring/new/"' not in page  # no form that could not be saved
    be = _client(users["coordinator"])
    be.cookies["django_language"] = "be"
    in_be = be.get("/monitoring/new/", HTTP_ACCEPT_LANGUAGE="be").content.decode()
    assert "Пасяджэнне належыць да справы" in in_be and "Запісаць справу" in in_be
    viewer = _client(users["viewer"]).get("/monitoring/new/").content.decode()
    assert "Ask a documenter or a coordinator" in viewer
    assert reverse("entry:case_new") not in viewer


def test_the_case_query_preselects_the_case_by_its_title(world):
    client = _client(world.users["analyst"])
    page = client.get("/monitoring/new/", {"case": str(world.case.pk)}).content.decode()
    assert f'value="{world.case.pk}" id="case-pick-{world.case.pk}" checked' in page
    assert f">{world.case.title}</label>" in page
    hidden = client.get("/monitoring/new/", {"case": str(world.hidden_case.pk)}).content
    assert b"Canarycase" not in hidden and b"checked" not in hidden


def test_the_case_page_links_to_add_a_hearing_for_that_case(world):
    client = _client(world.users["documenter"])
    page = client.get(f"/cases/{world.case.pk}/").content.decode()
    assert f'href="/monitoring/new/?case={world.case.pk}"' in page
    viewer = _client(world.users["viewer"]).get(f"/cases/{world.case.pk}/").content.decode()
    assert "/monitoring/new/?case=" not in viewer


def test_a_statement_chooses_any_of_many_cases_and_refuses_a_hidden_one(world):
    last = _many_cases(OLD_LIMIT + 1)
    client = _client(world.users["analyst"])
    found = client.get("/campaigns/new/cases/", {"cases_search": "Ultimova"}).content.decode()
    assert 'type="checkbox" name="cases"' in found and f'value="{last.pk}"' in found
    hidden = client.get("/campaigns/new/cases/", {"cases_search": "hidden case"}).content
    assert b"Canarycase" not in hidden and str(world.hidden_case.pk).encode() not in hidden
    post = {
        "title": "Fictional letter",
        "kind": "letter",
        "author_text": "Fictional Union",
        "confidentiality": "internal",
    }
    saved = client.post("/campaigns/new/", {**post, "cases": [str(last.pk)]})
    assert saved.status_code == 302
    assert list(Statement.objects.get().cases.all()) == [last]
    refused = client.post("/campaigns/new/", {**post, "cases": [str(world.hidden_case.pk)]})
    assert refused.status_code == 200 and b"Canarycase" not in refused.content
    assert Statement.objects.count() == 1
    preselected = client.get("/campaigns/new/", {"case": str(last.pk)}).content.decode()
    assert f'id="cases-pick-{last.pk}" checked' in preselected
