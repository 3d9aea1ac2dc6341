"""The duplicate warning while a name is typed: alike names, only among visible persons."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.entry.conftest import make_person
from vigil.core.context import change_context
from vigil.entry.suggest import suggest_persons
from vigil.records.models import PersonName

pytestmark = pytest.mark.django_db


def test_typing_a_cyrillic_spelling_suggests_the_latin_named_person(documenter, testavy):
    found = suggest_persons(documenter, "Тэставы")
    assert [s.person for s in found] == [testavy]


def test_the_warning_fragment_links_to_the_profile(documenter_client, testavy):
    response = documenter_client.get(
        reverse("entry:suggest_person"), {"field": "person", "names-0-value": "Тэставы"}
    )
    html = response.content.decode()
    assert "You may mean" in html and "Ales Testavy" in html
    assert reverse("web:person", args=[testavy.pk]) in html


def test_picker_fragment_offers_the_person_as_a_choice(documenter_client, testavy):
    response = documenter_client.get(
        reverse("entry:suggest_person"),
        {"field": "victim", "victim_name_latn": "", "victim_name_ru": "Алесь Тестовый"},
    )
    html = response.content.decode()
    assert f'name="victim_existing" id="victim-pick-{testavy.pk}" value="{testavy.pk}"' in html
    # One match at the operating threshold, recorded in no other role: chosen in advance; a new
    # person only by choosing "None of these" (issue 10, item 4).
    assert f'value="{testavy.pk}" checked' in html
    assert 'value="new" checked' not in html


def test_a_person_the_user_may_not_view_is_never_suggested(documenter, other_documenter):
    make_person("Ales Testavy", level="restricted", actor=other_documenter)
    assert suggest_persons(documenter, "Тэставы") == []
    assert suggest_persons(other_documenter, "Тэставы") != []


def test_a_hidden_alias_does_not_lead_to_a_visible_person(documenter, other_documenter):
    person = make_person("Ivan Nomenovich")
    with change_context("test", actor=other_documenter):
        PersonName(person=person, value="Ales Testavy", confidentiality="restricted").save()
    assert suggest_persons(documenter, "Тэставы") == []
    assert [s.person for s in suggest_persons(other_documenter, "Тэставы")] == [person]


def test_short_or_unrelated_text_suggests_nothing(documenter, testavy):
    assert suggest_persons(documenter, "Тэ") == []
    assert suggest_persons(documenter, "Quirinus Zzyzx") == []


def test_a_person_recorded_a_moment_ago_is_suggested(documenter, testavy):
    assert suggest_persons(documenter, "Фиктович") == []
    make_person("Ales Fiktavich", "Алесь Фіктавіч")
    assert [s.person.display_name for s in suggest_persons(documenter, "Фиктович")] == [
        "Ales Fiktavich"
    ]


def test_a_person_is_not_their_own_duplicate(documenter, testavy):
    assert suggest_persons(documenter, "Тэставы", exclude=testavy.pk) == []


def test_unknown_field_is_404(documenter_client):
    response = documenter_client.get(reverse("entry:suggest_person"), {"field": "nope"})
    assert response.status_code == 404
