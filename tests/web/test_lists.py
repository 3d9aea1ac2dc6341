"""The five lists: filters, sort, pagination, and that a list never shows a hidden row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.conftest import term
from vigil.accounts.testing import login_verified
from vigil.core.context import change_context
from vigil.records.models import Act, Case, Event, Involvement, Organisation, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(fictional_case):  # type: ignore[no-untyped-def]
    """The fictional case plus a released person, a case, a court and a hidden prisoner."""
    with change_context("test"):
        freed = Person.objects.create(display_name="Liberata Fictiva", is_synthetic=True)
        event = Event.objects.create(
            title="Fictional detention of Liberata", date=dt.date(2019, 5, 1)
        )
        Act.objects.create(
            event=event,
            act_type_id=term("act_type", "arrest"),
            victim_person=freed,
            date=dt.date(2019, 5, 1),
        )
        Act.objects.create(
            event=event,
            act_type_id=term("act_type", "release"),
            victim_person=freed,
            date=dt.date(2019, 6, 1),
        )
        court = Organisation.objects.create(
            display_name="Fictional District Court", kind_id=term("organisation_kind", "court")
        )
        sentence = fictional_case.sentence
        sentence.place = court
        sentence.save()
        case = Case.objects.create(title="Fictional dossier Testa")
        case.persons.add(fictional_case.victim)
        case.events.add(fictional_case.event)
        hidden = Person.objects.create(
            display_name="Fictional Occultus Captivus", confidentiality="restricted"
        )
        hidden_event = Event.objects.create(
            title="Fictional hidden event", confidentiality="restricted"
        )
        act = Act.objects.create(
            event=hidden_event,
            act_type_id=term("act_type", "arrest"),
            victim_person=hidden,
            date=dt.date(2022, 1, 1),
            confidentiality="restricted",
        )
        Involvement.objects.create(
            act=act,
            perpetrator_person=Person.objects.create(
                display_name="Fictional Iudex Secretus", confidentiality="restricted"
            ),
            role_id=term("perpetrator_role", "judge"),
            confidentiality="restricted",
        )
    return {
        "case": fictional_case,
        "freed": freed,
        "court": court,
        "dossier": case,
        "hidden": hidden,
    }


def _names(client: Client, url: str, **params: str) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_person_list_filters_by_derived_custody_in_sql(viewer_client, world):
    # Testa's 54-month term, counted from the 2020 arrest, ended in February 2025.
    held = _names(viewer_client, "/persons/", custody="in_custody")
    assert "Testa Fictionalia" not in held
    assert "Liberata Fictiva" not in held
    ended = _names(viewer_client, "/persons/", custody="term_ended_release_not_recorded")
    assert "Testa Fictionalia" in ended and "Liberata Fictiva" not in ended
    freed = _names(viewer_client, "/persons/", custody="not_in_custody")
    assert "Liberata Fictiva" in freed and "Testa Fictionalia" not in freed
    unknown = _names(viewer_client, "/persons/", custody="unknown")
    assert "Iudex Fictus" in unknown and "Testa Fictionalia" not in unknown


def test_person_list_filters_by_act_type_date_provision_and_court(viewer_client, world):
    provision = world["case"].sentence.charges.get().provision
    by_type = _names(viewer_client, "/persons/", act_type="release")
    assert "Liberata Fictiva" in by_type and "Testa Fictionalia" not in by_type
    by_date = _names(viewer_client, "/persons/", date_from="2020-01-01", date_to="2020-12-31")
    assert "Testa Fictionalia" in by_date and "Liberata Fictiva" not in by_date
    by_provision = _names(viewer_client, "/persons/", provision=str(provision.pk))
    assert "Testa Fictionalia" in by_provision and "Liberata Fictiva" not in by_provision
    by_court = _names(viewer_client, "/persons/", court=str(world["court"].pk))
    assert "Testa Fictionalia" in by_court and "Liberata Fictiva" not in by_court


def test_person_list_filters_by_confidentiality(admin_client, world):
    restricted = _names(admin_client, "/persons/", confidentiality="restricted")
    assert "Fictional Occultus Captivus" in restricted
    assert "Testa Fictionalia" not in restricted


def test_lists_never_show_a_hidden_row_to_a_viewer(viewer_client, admin_user, world):
    for url, hidden in [
        ("/persons/", "Fictional Occultus Captivus"),
        ("/persons/?custody=in_custody", "Fictional Occultus Captivus"),
        ("/perpetrators/", "Fictional Iudex Secretus"),
        ("/events/", "Fictional hidden event"),
    ]:
        assert hidden not in viewer_client.get(url).content.decode(), url
    admin = login_verified(Client(), admin_user)
    assert "Fictional Iudex Secretus" in admin.get("/perpetrators/").content.decode()
    assert "Fictional hidden event" in admin.get("/events/").content.decode()


def test_sort_headers_flip_direction_and_carry_aria_sort(viewer_client, world):
    html = _names(viewer_client, "/persons/")
    assert 'aria-sort="ascending"' in html
    assert 'href="?sort=-name"' in html
    descending = _names(viewer_client, "/persons/", sort="-name")
    assert 'aria-sort="descending"' in descending
    assert descending.index("Testa Fictionalia") < descending.index("Advocata Imaginaria")
    ascending = _names(viewer_client, "/persons/", sort="name")
    assert ascending.index("Advocata Imaginaria") < ascending.index("Testa Fictionalia")
    # An unknown sort key falls back to the default instead of failing.
    assert viewer_client.get("/persons/", {"sort": "password"}).status_code == 200


def test_pagination_keeps_filters_and_sort(viewer_client, db):
    with change_context("test"):
        for i in range(30):
            Person.objects.create(display_name=f"Fictus Numerus {i:02d}", is_synthetic=True)
    first = _names(viewer_client, "/persons/", q="numerus", sort="-name")
    assert "Page 1 of 2" in first
    assert 'href="?q=numerus&amp;sort=-name&amp;page=2"' in first
    assert "Fictus Numerus 29" in first
    second = _names(viewer_client, "/persons/", q="numerus", sort="-name", page="2")
    assert "Fictus Numerus 00" in second and "Fictus Numerus 29" not in second


def test_perpetrator_list_counts_acts_victims_and_sentences(viewer_client, world):
    html = _names(viewer_client, "/perpetrators/")
    assert "Iudex Fictus" in html
    assert "Testa Fictionalia" not in html  # a victim only, never a perpetrator
    row = html[html.index("Iudex Fictus") :].split("</tr>")[0]
    assert row.count(' class="num">1</td>') == 3
    for label in ("Acts", "Victims", "Sentences handed"):  # each count under its column's label
        assert f'<td data-label="{label}" class="num">1</td>' in row, label
    judges = _names(viewer_client, "/perpetrators/", role="judge")
    assert "Iudex Fictus" in judges
    assert "Iudex Fictus" not in _names(viewer_client, "/perpetrators/", role="prosecutor")


def test_organisation_case_and_event_lists_filter(viewer_client, world):
    courts = _names(viewer_client, "/organisations/", kind="court")
    assert "Fictional District Court" in courts
    assert "Fictional Penal Colony" not in courts
    cases = _names(viewer_client, "/cases/", status="open", act_type="sentence")
    assert "Fictional dossier Testa" in cases
    assert "Fictional dossier Testa" not in _names(viewer_client, "/cases/", act_type="release")
    events = _names(viewer_client, "/events/", act_type="release")
    assert "Fictional detention of Liberata" in events
    assert "Fictional prosecution of Testa" not in events


def test_invalid_filter_values_are_reported_not_crashing(viewer_client, world):
    html = _names(viewer_client, "/persons/", date_from="not a date", custody="bogus")
    assert "field__error" in html


def test_an_unreadable_filter_value_is_left_out_and_the_other_filters_still_apply(
    viewer_client, world
):
    html = _names(viewer_client, "/persons/", q="Liberata", date_from="31/03/2021x")
    assert "field__error" in html
    assert "Liberata Fictiva" in html and "Testa Fictionalia" not in html


@pytest.mark.parametrize(
    "url", ["/persons/", "/perpetrators/", "/organisations/", "/cases/", "/events/"]
)
def test_lists_take_a_fixed_number_of_queries(
    url, viewer_client, world, django_assert_max_num_queries
):  # type: ignore[no-untyped-def]
    with change_context("test"):
        for i in range(12):
            person = Person.objects.create(display_name=f"Fictus Multus {i:02d}", is_synthetic=True)
            event = Event.objects.create(title=f"Fictional event {i:02d}")
            org = Organisation.objects.create(display_name=f"Fictional Org {i:02d}")
            act = Act.objects.create(
                event=event, act_type_id=term("act_type", "arrest"), victim_person=person
            )
            Act.objects.create(
                event=event, act_type_id=term("act_type", "liquidation"), victim_organisation=org
            )
            Involvement.objects.create(
                act=act,
                perpetrator_person=world["case"].judge,
                role_id=term("perpetrator_role", "judge"),
            )
            Case.objects.create(title=f"Fictional case {i:02d}").events.add(event)
    with django_assert_max_num_queries(30):
        assert viewer_client.get(url).status_code == 200


def test_a_name_search_without_a_sort_lists_the_best_match_first(admin_client):
    with change_context("test"):
        for name in ("Aaron Relevantskiy", "Zora Relevantsky"):
            Person.objects.create(display_name=name, is_synthetic=True)
    body = admin_client.get("/persons/", {"q": "Relevantsky"}).content.decode()
    assert body.index("Zora Relevantsky") < body.index("Aaron Relevantskiy")
    by_name = admin_client.get("/persons/", {"q": "Relevantsky", "sort": "name"}).content.decode()
    assert by_name.index("Aaron Relevantskiy") < by_name.index("Zora Relevantsky")


def test_person_list_filters_acts_that_need_review(viewer_client, world):
    with change_context("test"):
        act = Act.objects.get(victim_person=world["freed"], act_type_id=term("act_type", "arrest"))
        act.review_note = "decision 'compulsory medical measures': kept as written, needs review"
        act.save()
    flagged = _names(viewer_client, "/persons/", needs_review="on")
    assert "Liberata Fictiva" in flagged
    assert "Testa Fictionalia" not in flagged
    assert "Needs review" in _names(viewer_client, "/persons/")


def test_a_hidden_court_is_never_offered_nor_accepted_whether_or_not_a_court_is_chosen(
    world, users
):
    from django.http import QueryDict

    from vigil.policy.access import allows, one_reading
    from vigil.web.filters import PersonFilterForm

    with change_context("test"):
        hidden_court = Organisation.objects.create(
            display_name="Fictional Secret Court",
            kind_id=term("organisation_kind", "court"),
            confidentiality="secret",
        )
    viewer = users["viewer"]
    assert not allows(viewer, "view", hidden_court)
    for query in ("", "page=2", "court=", f"court={world['court'].pk}", f"court={hidden_court.pk}"):
        with one_reading():
            form = PersonFilterForm(QueryDict(query) or None, user=viewer)
            offered = [str(value) for value, _label in form.fields["court"].choices]
            assert str(hidden_court.pk) not in offered
            assert str(world["court"].pk) in offered
            rows = list(form.fields["court"].queryset)
            assert hidden_court not in rows
            if form.is_bound:
                if query.endswith(str(hidden_court.pk)):
                    assert not form.is_valid() and "court" in form.errors
                else:
                    assert form.is_valid(), form.errors
                    chosen = form.cleaned_data["court"]
                    assert chosen in (None, world["court"])
