"""Organisation, event, case and perpetrator pages, related persons, history and the home lists."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from tests.conftest import term
from vigil.core.context import change_context
from vigil.records.models import Act, Case, Event, Intervention, Involvement, Organisation, Person
from vigil.responses.models.interventions import FollowUp

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(fictional_case):  # type: ignore[no-untyped-def]
    """A co-defendant, another prisoner of the same judge, a case, and hidden records."""
    with change_context("test"):
        co = Person.objects.create(display_name="Codefensa Fictiva", is_synthetic=True)
        Act.objects.create(
            event=fictional_case.event,
            act_type_id=term("act_type", "arrest"),
            victim_person=co,
            date=dt.date(2020, 8, 10),
        )
        other = Person.objects.create(display_name="Alter Damnatus", is_synthetic=True)
        other_event = Event.objects.create(title="Fictional trial of Alter")
        other_sentence = Act.objects.create(
            event=other_event,
            act_type_id=term("act_type", "sentence"),
            victim_person=other,
            sentence_months=24,
        )
        Involvement.objects.create(
            act=other_sentence,
            perpetrator_person=fictional_case.judge,
            role_id=term("perpetrator_role", "presiding_judge"),
        )
        case = Case.objects.create(title="Fictional dossier Testa")
        case.persons.add(fictional_case.victim)
        case.events.add(fictional_case.event)
        hidden_victim = Person.objects.create(
            display_name="Fictional Victima Arcana", confidentiality="restricted"
        )
        hidden_event = Event.objects.create(
            title="Fictional arcane event", confidentiality="restricted"
        )
        hidden_act = Act.objects.create(
            event=hidden_event,
            act_type_id=term("act_type", "sentence"),
            victim_person=hidden_victim,
            confidentiality="restricted",
        )
        Involvement.objects.create(
            act=hidden_act,
            perpetrator_person=fictional_case.judge,
            role_id=term("perpetrator_role", "judge"),
            confidentiality="restricted",
        )
        hidden_org = Organisation.objects.create(
            display_name="Fictional Hidden Office", confidentiality="secret"
        )
        hidden_case = Case.objects.create(title="Fictional secret case", confidentiality="secret")
    return {
        "case": fictional_case,
        "co": co,
        "other": other,
        "dossier": case,
        "hidden_event": hidden_event,
        "hidden_org": hidden_org,
        "hidden_case": hidden_case,
    }


def test_perpetrator_dossier_lists_acts_victims_sentences_and_courts(viewer_client, records):
    judge = records["case"].judge
    html = viewer_client.get(f"/perpetrators/{judge.pk}/").content.decode()
    assert "<h1>" in html
    assert "Testa Fictionalia" in html and "Alter Damnatus" in html
    assert "Fictional Penal Colony No. 0" in html  # where the sentence was handed
    assert "Fictional Victima Arcana" not in html  # a restricted act stays hidden
    assert '<span class="stat__n">2</span> <span class="stat__label">sentences handed' in html


def test_event_page_shows_acts_perpetrators_and_sources(viewer_client, records):
    event = records["case"].event
    html = viewer_client.get(f"/events/{event.pk}/").content.decode()
    assert "Codefensa Fictiva" in html and "Iudex Fictus" in html
    assert "Fictional court record" in html and "Fictional monitoring page" in html
    assert "Part 1 of Art. 342 CC" in html
    assert "Fictional dossier Testa" in html


def test_organisation_and_case_pages_show_their_records(viewer_client, records):
    colony = records["case"].sentence.place
    html = viewer_client.get(f"/organisations/{colony.pk}/").content.decode()
    assert "Testa Fictionalia" in html  # the sentence held there
    case_html = viewer_client.get(f"/cases/{records['dossier'].pk}/").content.decode()
    assert "Testa Fictionalia" in case_html and "Fictional prosecution of Testa" in case_html


def test_hidden_and_missing_records_are_the_same_404(viewer_client, records):
    for url in [
        f"/events/{records['hidden_event'].pk}/",
        f"/organisations/{records['hidden_org'].pk}/",
        f"/cases/{records['hidden_case'].pk}/",
        f"/events/{uuid.uuid4()}/",
        f"/perpetrators/{uuid.uuid4()}/",
    ]:
        assert viewer_client.get(url).status_code == 404, url


def test_admin_sees_what_the_viewer_may_not(admin_client, records):
    assert admin_client.get(f"/events/{records['hidden_event'].pk}/").status_code == 200
    judge = records["case"].judge
    assert (
        "Fictional Victima Arcana"
        in admin_client.get(f"/perpetrators/{judge.pk}/").content.decode()
    )


def test_person_page_shows_related_persons_and_history(viewer_client, records):
    victim = records["case"].victim
    html = viewer_client.get(f"/persons/{victim.pk}/").content.decode()
    related = html[html.index('id="related-title"') : html.index('id="history-title"')]
    assert "Codefensa Fictiva" in related  # same event
    assert "Alter Damnatus" in related  # same judge
    assert "Fictional Victima Arcana" not in related
    assert "Edit history" in html and "tag--create" in html
    assert (
        f"/perpetrators/{records['case'].judge.pk}/"
        in viewer_client.get(f"/persons/{records['case'].judge.pk}/").content.decode()
    )


def test_home_lists_people_in_custody_and_follow_ups_due(viewer_client, records):
    with change_context("test"):
        intervention = Intervention.objects.create(
            intervention_type_id=term("intervention_type", "urgent_appeal"),
            title="Fictional urgent appeal",
            follow_up_due=dt.date.today() - dt.timedelta(days=3),
        )
        FollowUp.objects.create(
            intervention=intervention,
            due=dt.date.today() + dt.timedelta(days=5),
            action="Send a fictional reminder",
        )
    html = viewer_client.get("/").content.decode()
    custody = html[html.index('id="custody-title"') : html.index('id="tasks-title"')]
    held, ended = custody.split('id="term-ended-title"')
    # Testa's 54-month term, counted from the 2020 arrest, ended in February 2025.
    assert "Testa Fictionalia" not in held and "Testa Fictionalia" in ended
    assert "Fictional Victima Arcana" not in custody
    tasks = html[html.index('id="tasks-title"') : html.index('id="recent-title"')]
    assert "Fictional urgent appeal" in tasks and "Send a fictional reminder" in tasks
    assert "overdue" in tasks


def test_home_without_follow_ups_shows_interventions_awaiting_a_reply(viewer_client, records):
    with change_context("test"):
        Intervention.objects.create(
            intervention_type_id=term("intervention_type", "urgent_appeal"),
            title="Fictional unanswered appeal",
        )
    html = viewer_client.get("/").content.decode()
    tasks = html[html.index('id="tasks-title"') : html.index('id="recent-title"')]
    assert "Fictional unanswered appeal" in tasks and "await a reply" in tasks


@pytest.mark.parametrize("kind", ["perpetrators", "events", "cases", "organisations"])
def test_detail_pages_take_a_bounded_number_of_queries(
    kind, viewer_client, records, django_assert_max_num_queries
):  # type: ignore[no-untyped-def]
    case = records["case"]
    pk = {
        "perpetrators": case.judge.pk,
        "events": case.event.pk,
        "cases": records["dossier"].pk,
        "organisations": case.sentence.place_id,
    }[kind]
    with change_context("test"):
        for i in range(10):
            person = Person.objects.create(display_name=f"Fictus Alius {i}", is_synthetic=True)
            act = Act.objects.create(
                event=case.event,
                act_type_id=term("act_type", "sentence"),
                victim_person=person,
                place=case.sentence.place,
                sentence_months=12,
            )
            Involvement.objects.create(
                act=act, perpetrator_person=case.judge, role_id=term("perpetrator_role", "judge")
            )
    with django_assert_max_num_queries(40):
        assert viewer_client.get(f"/{kind}/{pk}/").status_code == 200
