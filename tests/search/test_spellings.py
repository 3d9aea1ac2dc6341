"""A name in any script or spelling finds the person, best match first."""

from __future__ import annotations

import pytest

from tests.search.conftest import add_name
from vigil.core.context import change_context
from vigil.records.models import Person
from vigil.search.name_search import EXACT, KEYED, NEAR, find_persons
from vigil.search.persons import search_persons

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "spelling",
    [
        "Алесь Тэставы",
        "Алесь Тестовый",
        "Ales Testavy",
        "Тэставы",
        "Тестовый",
        "Testavy",
        "Testovy",
        "Testovyi Ales",
        "ALES TESTAVY",
        "Тэстав",
        "ales testav",
    ],
)
def test_every_spelling_finds_the_same_profile(testavy, viewer, spelling):
    assert list(search_persons(spelling, viewer))[:1] == [testavy.person]


def test_a_different_name_finds_nobody(testavy, viewer):
    assert list(search_persons("Kvitkovaja", viewer)) != [testavy.person]
    assert testavy.person not in search_persons("Iryna Kvitkovaja", viewer)
    assert list(search_persons("Zmicier Fictusevich", viewer)) == []


def test_exact_name_ranks_above_a_key_match_above_a_near_match(testavy, viewer):
    with change_context("test"):
        keyed = Person.objects.create(display_name="Aliaksandr Testau", is_synthetic=True)
        near = Person.objects.create(display_name="Ales Testavitski", is_synthetic=True)
    hits = find_persons("Ales Testavy", viewer)
    tiers = {h.person_id: h.tier for h in hits}
    assert [h.person_id for h in hits][:1] == [testavy.person.pk]
    assert tiers[testavy.person.pk] == EXACT
    assert tiers[keyed.pk] == KEYED
    assert tiers[near.pk] == NEAR
    order = [h.person_id for h in hits]
    assert order.index(testavy.person.pk) < order.index(keyed.pk) < order.index(near.pk)


def test_key_matches_are_ordered_by_the_name_scorer(testavy, viewer):
    with change_context("test"):
        other = Person.objects.create(display_name="Vera Testava", is_synthetic=True)
    hits = find_persons("Алесь Тэставы", viewer)
    scores = [h.score for h in hits if h.tier == KEYED]
    assert scores == sorted(scores, reverse=True)
    assert [h.person_id for h in hits] == [testavy.person.pk, other.pk]


def test_a_one_consonant_typo_still_finds_the_person(viewer, db):
    with change_context("test"):
        person = Person.objects.create(display_name="Ales Fiktsiukevich", is_synthetic=True)
    assert list(search_persons("Fitsiukevich", viewer)) == [person]  # a consonant dropped
    assert list(search_persons("Fiktsiumevich", viewer)) == [person]  # one changed
    assert list(search_persons("Фікцюкевіч", viewer)) == [person]


def test_the_result_shows_the_name_that_matched(testavy, viewer):
    (hit,) = find_persons("Тестовый", viewer)
    assert hit.form == "Алесь Тестовый"


def test_a_person_is_listed_once_however_many_names_match(testavy, viewer):
    with change_context("test"):
        add_name(testavy.person, "Aleś Testavy", kind="transliteration")
    assert list(search_persons("Testavy", viewer)) == [testavy.person]


def test_blank_query_lists_everyone_visible(testavy, viewer):
    assert search_persons("   ", viewer).count() == 2
