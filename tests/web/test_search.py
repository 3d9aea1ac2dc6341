"""The person search at /persons/?q=: any spelling of any stored name, and the paginated list."""

from __future__ import annotations

import pytest

from vigil.core.context import change_context
from vigil.records.models import Person, PersonName
from vigil.search.persons import search_persons

pytestmark = pytest.mark.django_db


def test_search_finds_a_person_by_part_of_the_display_name(viewer_client, fictional_case):
    html = viewer_client.get("/persons/", {"q": "fictionalia"}).content.decode()
    assert f'href="/persons/{fictional_case.victim.pk}/">Testa Fictionalia</a>' in html
    assert "Iudex Fictus" not in html
    assert "1 person matches" in html


def test_search_finds_a_person_by_a_cyrillic_name_in_any_case(viewer_client, fictional_case):
    html = viewer_client.get("/persons/", {"q": "ФІКТЫЎНАЯ"}).content.decode()
    assert "Testa Fictionalia" in html


def test_search_finds_a_person_by_a_stored_name_that_is_not_the_display_name(fictional_case):
    with change_context("test"):
        PersonName.objects.create(
            person=fictional_case.judge,
            value="Judex Fictivus",
            kind="alias",
            normalised="judex fictivus",
        )
    assert list(search_persons("fictivus")) == [fictional_case.judge]


def test_search_ignores_soft_deleted_names(fictional_case):
    with change_context("test"):
        name = PersonName.objects.create(
            person=fictional_case.judge, value="Obsoletus Fictus", normalised="obsoletus fictus"
        )
        name.soft_delete("fictional typo")
    assert list(search_persons("obsoletus")) == []


def test_search_lists_each_person_once_when_several_names_match(fictional_case):
    assert list(search_persons("testa")) == [fictional_case.victim]


def test_search_finds_a_person_by_a_russian_spelling_nobody_stored(viewer_client, fictional_case):
    html = viewer_client.get("/persons/", {"q": "Теста Фиктивная"}).content.decode()
    assert f'href="/persons/{fictional_case.victim.pk}/"' in html
    assert "1 person matches" in html


def test_search_finds_a_person_by_a_latin_transliteration(fictional_case, viewer):
    assert list(search_persons("Fiktyunaja", viewer)) == [fictional_case.victim]


def test_search_puts_the_exact_name_first(fictional_case, viewer):
    with change_context("test"):
        namesake = Person.objects.create(display_name="Testa Fiktyunaja", is_synthetic=True)
    assert list(search_persons("Testa Fiktyunaja", viewer)) == [namesake, fictional_case.victim]
    assert list(search_persons("Тэста Фіктыўная", viewer)) == [fictional_case.victim, namesake]


def test_search_with_no_match_says_so(viewer_client, fictional_case):
    html = viewer_client.get("/persons/", {"q": "nobody-fictional"}).content.decode()
    assert "0 persons match" in html
    assert "try another spelling" in html.lower()


def test_blank_search_lists_everyone_with_custody(viewer_client, fictional_case):
    html = viewer_client.get("/persons/").content.decode()
    assert "3 persons in the record." in html
    assert "Custody unknown" in html and "release not recorded" in html
    assert html.count('title="No act against this person is recorded"') == 2


def test_person_list_is_paginated_and_keeps_the_query(viewer_client, db):
    with change_context("test"):
        for i in range(30):
            Person.objects.create(display_name=f"Fictus Numerus {i:02d}", is_synthetic=True)
    first = viewer_client.get("/persons/", {"q": "numerus"}).content.decode()
    assert "Page 1 of 2" in first
    assert 'href="?q=numerus&amp;page=2"' in first
    second = viewer_client.get("/persons/", {"q": "numerus", "page": "2"}).content.decode()
    assert "Fictus Numerus 29" in second
    assert "Fictus Numerus 00" not in second
