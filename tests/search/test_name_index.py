"""The name index follows every save: edits, soft deletes, merges, bulk imports, rebuilds."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from tests.search.conftest import add_name
from vigil.core.context import change_context
from vigil.core.history import bulk_create_records
from vigil.records.merge import merge_persons, unmerge
from vigil.records.models import Person, PersonName
from vigil.search.models import NameForm, NameKey
from vigil.search.persons import search_persons
from vigil.search.rebuild import rebuild_all
from vigil.search.sync import catch_up, lag

pytestmark = pytest.mark.django_db


def forms_of(person: Person) -> set[str]:
    return set(NameForm.objects.filter(person=person).values_list("text", flat=True))


def keys_of(name: PersonName) -> set[str]:
    return set(NameKey.objects.filter(form__name=name).values_list("key", flat=True))


def test_display_name_and_each_stored_name_are_indexed_with_their_keys(testavy):
    assert forms_of(testavy.person) == {"Ales Testavy", "Алесь Тэставы", "Алесь Тестовый"}
    assert {"s:TST", "g:aleksandr", "t:алесь", "t:тэставы"} <= keys_of(testavy.belarusian)


def test_a_name_spelled_as_the_display_name_adds_no_form(testavy):
    with change_context("test"):
        add_name(testavy.person, "ALES  TESTAVY")
    assert NameForm.objects.filter(person=testavy.person).count() == 3


def test_editing_a_name_replaces_its_keys(testavy, viewer):
    with change_context("test"):
        testavy.russian.value = "Алесь Фікцюкевіч"
        testavy.russian.save()
    assert "t:тестовый" not in keys_of(testavy.russian)
    assert "t:фікцюкевіч" in keys_of(testavy.russian)
    assert list(search_persons("Fiktsiukevich", viewer)) == [testavy.person]


def test_renaming_a_person_reindexes_the_display_name(testavy, viewer):
    with change_context("test"):
        testavy.person.display_name = "Ales Fiktsiukevich"
        testavy.person.save()
    assert "Ales Testavy" not in forms_of(testavy.person)
    assert list(search_persons("Фікцюкевіч", viewer)) == [testavy.person]


def test_a_soft_deleted_name_leaves_the_index(testavy, viewer):
    with change_context("test"):
        testavy.russian.soft_delete("fictional typo")
    assert not keys_of(testavy.russian)
    assert search_persons("Тестовый", viewer).first() == testavy.person  # other names remain
    with change_context("test"):
        testavy.belarusian.soft_delete("fictional typo")
        testavy.person.display_name = "Ales Fictus"
        testavy.person.save()
    assert list(search_persons("Тестовый", viewer)) == []


def test_a_soft_deleted_person_leaves_the_index_and_a_restored_one_returns(testavy, viewer):
    with change_context("test"):
        testavy.person.soft_delete("fictional duplicate")
    assert not NameForm.objects.filter(person=testavy.person).exists()
    assert list(search_persons("Testavy", viewer)) == []
    with change_context("test"):
        testavy.person.restore()
    assert len(forms_of(testavy.person)) == 3


def test_merge_moves_the_names_to_the_kept_person_and_unmerge_moves_them_back(testavy, viewer):
    with change_context("test"):
        duplicate = Person.objects.create(display_name="A. Testavy", is_synthetic=True)
        alias = add_name(duplicate, "Алесь Тэставы-Фіктыўны")
        merge_persons(testavy.person, duplicate, reason="fictional duplicate")
    assert not NameForm.objects.filter(person=duplicate).exists()
    assert NameForm.objects.get(name=alias).person_id == testavy.person.pk
    assert list(search_persons("Тэставы-Фіктыўны", viewer)) == [testavy.person]
    with change_context("test"):
        unmerge(duplicate, reason="fictional mistake")
    assert NameForm.objects.get(name=alias).person_id == duplicate.pk
    assert forms_of(duplicate) == {"A. Testavy", "Алесь Тэставы-Фіктыўны"}
    assert search_persons("Тэставы-Фіктыўны", viewer).first() == duplicate


def test_bulk_imported_persons_are_indexed_from_the_history(viewer, db):
    with change_context("test"):
        person = Person(display_name="Zmitser Fiktsiukevich", is_synthetic=True)
        bulk_create_records([person])
        bulk_create_records([PersonName(person=person, value="Зміцер Фікцюкевіч")])
    assert not NameForm.objects.filter(person=person).exists()  # no signal for bulk writes
    assert lag() == 2
    assert list(search_persons("Фікцюкевіч", viewer)) == [person]  # the search caught up
    assert lag() == 0
    assert forms_of(person) == {"Zmitser Fiktsiukevich", "Зміцер Фікцюкевіч"}


def test_catch_up_in_steps_stops_at_its_limit_and_finishes_later(db):
    with change_context("test"):
        people = [Person(display_name=f"Fictus Numerus {i}") for i in range(5)]
        bulk_create_records(people)
    assert catch_up(limit=3) is False
    assert NameForm.objects.count() == 3
    assert catch_up(limit=3) is True
    assert NameForm.objects.count() == 5


def test_rebuild_writes_what_the_signals_wrote(testavy):
    with change_context("test"):
        add_name(testavy.person, "Aleś Testavy", kind="transliteration")
        testavy.russian.soft_delete("fictional typo")
    live = sorted(NameKey.objects.values_list("form__text", "form__name_id", "key"))
    report = rebuild_all()
    assert report.persons == 2
    assert sorted(NameKey.objects.values_list("form__text", "form__name_id", "key")) == live
    assert lag() == 0


def test_search_index_command_rebuilds_and_reports(testavy):
    NameForm.objects.all().delete()
    out = StringIO()
    call_command("search-index", "--no-progress", stdout=out)
    assert "2 persons" in out.getvalue()
    assert len(forms_of(testavy.person)) == 3


def test_search_index_catch_up_replays_only_new_history(db):
    with change_context("test"):
        bulk_create_records([Person(display_name="Fictus Importatus")])
    out = StringIO()
    call_command("search-index", "--catch-up", stdout=out)
    assert "1 history rows" in out.getvalue()
    assert NameForm.objects.filter(text="Fictus Importatus").exists()


def test_the_positions_read_in_one_statement_are_the_history_and_the_watermarks(viewer, db):
    from vigil.search.sync import (
        BATCH_WATERMARK,
        _mark,
        _positions,
        _watermark,
        newest_batch,
        newest_history,
    )

    def by_the_orm() -> tuple[int, int, int, int]:
        return _watermark(), newest_history(), _mark(BATCH_WATERMARK), newest_batch()

    assert _positions() == by_the_orm()
    with change_context("test"):
        Person.objects.create(display_name="Fictus Singulus", is_synthetic=True)
        bulk_create_records([Person(display_name=f"Fictus Numerus {i}") for i in range(3)])
    before = _positions()
    assert before == by_the_orm()
    assert before[1] > 0 and before[3] > 0  # a version row and a batch to replay
    assert catch_up() is True
    after = _positions()
    assert after == by_the_orm()
    assert after[0] == after[1] and after[2] > before[2]  # both watermarks moved on
