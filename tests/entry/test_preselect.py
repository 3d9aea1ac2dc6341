"""A picker chooses the one recorded person a typed name matches, so forms make no duplicates."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.entry.conftest import make_person
from tests.entry.test_views import TRIAL
from vigil.core.context import change_context
from vigil.entry.preselect import NEW, offer_for
from vigil.records.date_input import parse_date_input
from vigil.records.entry import PersonRef, TrialInput, record_trial
from vigil.records.models import Counsel, Involvement, Person

pytestmark = pytest.mark.django_db


def _trial_with(user: Any, victim: Person, **people: Person) -> None:
    """A fictional trial of ``victim`` with the given judge and counsel."""
    data = TrialInput(
        victim=PersonRef(person_id=victim.pk),
        date=parse_date_input("24.11.2021"),
        judge=PersonRef(person_id=people["judge"].pk) if "judge" in people else None,
        counsel=[PersonRef(person_id=people["counsel"].pk)] if "counsel" in people else [],
    )
    with change_context("test", actor=user):
        record_trial(user, data)


@pytest.fixture
def filatau(documenter: Any) -> Person:
    """A fictional judge recorded in Cyrillic and Latin, who has decided one trial."""
    judge = make_person("Maksim Filatau", "Максим Филатов")
    _trial_with(documenter, make_person("Ivan Accusatus"), judge=judge)
    return judge


@pytest.fixture
def advocata(documenter: Any) -> Person:
    """A fictional defence lawyer who has defended in one trial."""
    lawyer = make_person("Advocata Testova", "Адвоката Тестова")
    _trial_with(documenter, make_person("Ivan Defendovich"), counsel=lawyer)
    return lawyer


def test_the_one_judge_matching_at_the_operating_threshold_is_chosen(documenter, filatau):
    offer = offer_for(documenter, "judge", ["Maksim Filatau"])
    assert [s.person for s in offer.suggestions] == [filatau]
    assert offer.checked == str(filatau.pk)
    assert offer.must_choose


def test_a_latin_spelling_of_a_cyrillic_name_chooses_the_judge(documenter, filatau):
    assert offer_for(documenter, "judge", ["Maksim Filatau"]).rows[0].roles == ["Judge"]
    assert offer_for(documenter, "judge", ["Максім Філатаў"]).checked == str(filatau.pk)


def test_a_victim_of_the_same_name_is_shown_but_never_chosen_as_the_judge(documenter):
    victim = make_person("Maksim Filatau")
    _trial_with(documenter, victim)
    offer = offer_for(documenter, "judge", ["Maksim Filatau"])
    assert [s.person for s in offer.suggestions] == [victim]
    assert offer.checked == NEW and not offer.must_choose


def test_two_matching_judges_choose_nobody_and_ask(documenter, filatau):
    other = make_person("Maksim Filatov")
    _trial_with(documenter, make_person("Petra Accusata"), judge=other)
    offer = offer_for(documenter, "judge", ["Maksim Filatau"])
    assert {s.person for s in offer.suggestions} == {filatau, other}
    assert offer.checked == "" and offer.must_choose


def test_a_weak_match_keeps_a_new_person_as_the_default(documenter, filatau):
    offer = offer_for(documenter, "judge", ["Filatau"])  # a surname alone scores 0.7
    assert offer.suggestions and offer.checked == NEW


def test_the_counsel_picker_chooses_the_recorded_lawyer(documenter, advocata):
    assert offer_for(documenter, "counsel", ["Advocata Testova"]).checked == str(advocata.pk)


def test_posting_a_known_judges_name_without_a_choice_asks_and_saves_nothing(
    documenter_client, filatau
):
    people = Person.objects.count()
    data = {**TRIAL, "judge_name": "Maksim Filatau", "counsel_name": ""}
    response = documenter_client.post(reverse("entry:trial"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "A recorded person has a name like this" in html
    # The page asks with the recorded judge chosen in advance.
    assert f'id="judge-pick-{filatau.pk}" value="{filatau.pk}" checked' in html
    assert Person.objects.count() == people


def test_posting_the_choice_records_the_trial_for_the_recorded_judge(documenter_client, filatau):
    people = Person.objects.count()
    data = {**TRIAL, "judge_name": "Maksim Filatau", "judge_existing": str(filatau.pk)}
    assert documenter_client.post(reverse("entry:trial"), data).status_code == 302
    assert Person.objects.count() == people + 1  # only the new victim
    assert Involvement.objects.filter(perpetrator_person=filatau).count() == 3


def test_a_new_person_of_a_known_name_only_by_choosing_none_of_these(documenter_client, filatau):
    data = {**TRIAL, "judge_name": "Maksim Filatau", "judge_existing": NEW}
    assert documenter_client.post(reverse("entry:trial"), data).status_code == 302
    assert Person.objects.filter(display_name="Maksim Filatau").count() == 2


def test_counsel_typed_by_name_is_asked_for_and_chosen(documenter_client, advocata):
    data = {**TRIAL, "counsel_name": "Advocata Testova"}
    html = documenter_client.post(reverse("entry:trial"), data).content.decode()
    assert f'id="counsel-pick-{advocata.pk}" value="{advocata.pk}" checked' in html
    data["counsel_existing"] = str(advocata.pk)
    assert documenter_client.post(reverse("entry:trial"), data).status_code == 302
    assert Counsel.objects.filter(lawyer=advocata).count() == 2
    assert Person.objects.filter(display_name="Advocata Testova").count() == 1


def test_the_suggestion_fragment_checks_the_recorded_judge(documenter_client, filatau):
    response = documenter_client.get(
        reverse("entry:suggest_person"), {"field": "judge", "judge_name": "Maksim Filatau"}
    )
    html = response.content.decode()
    assert f'value="{filatau.pk}" checked' in html
    assert 'value="new" checked' not in html
