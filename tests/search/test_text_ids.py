"""Each name key row names its form's normalised text by id (``NameKey.text_id``, ``NameText``).

The name search orders the forms it keeps by tier, rank and string similarity from the texts
the key rows name, before any form is read, and reads only the forms of the first persons
(docs/benchmarks.md §4, fourteenth round). That orders them as reading every form does only
when every key row's text id names its form's text — after saves, edits, a display name
changed, rebuilds, purges, and on a database the migration filled.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection

from tests.search.conftest import add_name
from tests.search.migration_editor import InTransactionEditor
from vigil.core.context import change_context
from vigil.names import normalise
from vigil.records.models import Person
from vigil.search.models import NameForm, NameKey, NameText
from vigil.search.name_index import prune_tokens, text_ids
from vigil.search.name_search import find_persons
from vigil.search.rebuild import rebuild_all

pytestmark = pytest.mark.django_db

NAMES = ["Ales Quorvalik", "Алесь Кворвалік", "Jürgen Weiß", "O'Neill Ó Briain", "Аляксандр Ш."]


@pytest.fixture
def persons(db: None) -> list[Person]:
    with change_context("test", detail="text ids fixture"):
        found = [Person.objects.create(display_name=n, is_synthetic=True) for n in NAMES]
        add_name(found[0], "Алесь Кворвалік", lang="be")
        add_name(found[2], "Юрген Вайс", lang="ru")
    return found


def _texts() -> set[str]:
    """The texts the key rows name."""
    named = set(NameKey.objects.values_list("text_id", flat=True))
    return set(NameText.objects.filter(pk__in=named).values_list("normalised", flat=True))


def _assert_every_key_row_names_its_form_s_text() -> None:
    forms = dict(NameForm.objects.values_list("pk", "normalised"))
    texts = dict(NameText.objects.values_list("pk", "normalised"))
    rows = list(NameKey.objects.values_list("form_id", "text_id"))
    assert rows
    assert {form for form, _ in rows} == set(forms)
    for form, text_id in rows:
        assert texts[text_id] == forms[form]
    # One row a text: the ids of equal texts are equal.
    assert len(set(texts.values())) == len(texts)


def test_every_key_row_names_its_form_s_normalised_text(persons):
    _assert_every_key_row_names_its_form_s_text()
    assert {normalise(n) for n in NAMES} <= _texts()
    # Two forms of one text (the display name and a name spelled alike elsewhere) share it.
    with change_context("test"):
        Person.objects.create(display_name="Ales Quorvalik", is_synthetic=True)
    _assert_every_key_row_names_its_form_s_text()
    shared = NameText.objects.get(normalised=normalise("Ales Quorvalik"))
    forms = NameForm.objects.filter(normalised=shared.normalised).values_list("pk", flat=True)
    assert len(forms) == 2
    assert set(NameKey.objects.filter(form_id__in=forms).values_list("text_id", flat=True)) == {
        shared.pk
    }


def test_an_edited_name_and_display_name_s_key_rows_name_their_new_texts(persons):
    with change_context("test"):
        name = add_name(persons[1], "Алесь Фікцюкевіч")
        name.value = "Ales Fikcjukevich"
        name.save()
        persons[3].display_name = "Sean O'Neill"
        persons[3].save()
    texts = _texts()
    assert normalise("Ales Fikcjukevich") in texts
    assert normalise("Алесь Фікцюкевіч") not in texts
    assert normalise("Sean O'Neill") in texts
    assert normalise("O'Neill Ó Briain") not in texts
    _assert_every_key_row_names_its_form_s_text()


def test_a_rebuild_writes_the_texts_of_the_stored_forms_only(persons):
    with change_context("test"):
        persons[3].display_name = "Sean O'Neill"
        persons[3].save()
    before = _texts()
    assert NameText.objects.filter(normalised=normalise("O'Neill Ó Briain")).exists()
    rebuild_all()
    _assert_every_key_row_names_its_form_s_text()
    assert _texts() == before
    stored = set(NameText.objects.values_list("normalised", flat=True))
    assert stored == set(NameForm.objects.values_list("normalised", flat=True))


def test_pruning_drops_the_texts_no_stored_form_holds_and_only_those(persons):
    with change_context("test"):
        persons[3].display_name = "Sean O'Neill"
        persons[3].save()
        persons[4].soft_delete("fictional duplicate")
    left = {normalise("O'Neill Ó Briain"), normalise("Аляксандр Ш.")}
    stored = set(NameText.objects.values_list("normalised", flat=True))
    assert left <= stored
    prune_tokens()
    assert set(NameText.objects.values_list("normalised", flat=True)) == stored - left
    _assert_every_key_row_names_its_form_s_text()


def test_text_ids_are_those_stored_and_new_texts_are_added(persons):
    known = NameText.objects.get(normalised=normalise("Jürgen Weiß"))
    found = text_ids([known.normalised, "zyxw fikcja", "zyxw fikcja"])
    assert found[known.normalised] == known.pk
    assert NameText.objects.get(normalised="zyxw fikcja").pk == found["zyxw fikcja"]
    assert text_ids(["zyxw fikcja"]) == {"zyxw fikcja": found["zyxw fikcja"]}


def test_the_migration_fills_the_texts_and_ids_the_writes_gave(persons):
    with change_context("test"):
        persons[3].display_name = "Sean O'Neill"  # a text no form holds any more is not filled
        persons[3].save()
    written = {
        (pk, form, key, text)
        for pk, form, key, text in NameKey.objects.values_list(
            "pk", "form_id", "key", "text_id"
        )
    }
    texts = dict(NameText.objects.values_list("pk", "normalised"))
    NameText.objects.all().delete()
    NameKey.objects.update(text_id=0)
    migration = importlib.import_module("vigil.search.migrations.0006_nametext_and_namekey_text_id")
    migration.fill_texts(apps, InTransactionEditor())
    filled = dict(NameText.objects.values_list("pk", "normalised"))
    assert set(filled.values()) == set(NameForm.objects.values_list("normalised", flat=True))
    rows = NameKey.objects.values_list("pk", "form_id", "key", "text_id")
    assert {(pk, form, key, filled[text]) for pk, form, key, text in rows} == {
        (pk, form, key, texts[text]) for pk, form, key, text in written
    }
    _assert_every_key_row_names_its_form_s_text()
    assert len(written) > len(NAMES)


def test_key_rows_the_previous_release_writes_without_a_text_id_still_find_their_persons(persons):
    """While the release before migration 0006 still serves beside this one, its saves write
    key rows that do not name the column: the database's default 0. The search reads those
    forms' texts from the forms and finds the same persons in the same order."""
    queries = ["Quorvalik", "Кворвалік", "Jurgen Weiss", "Юрген", "O'Neill"]
    before = [_found(q) for q in queries]
    assert all(before)
    kept = list(NameKey.objects.values_list("form_id", "key"))
    NameKey.objects.all().delete()
    table = connection.ops.quote_name(NameKey._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(  # as the previous release's insert: the text id not named
            f"INSERT INTO {table} (form_id, key) VALUES (%s, %s)",  # noqa: S608
            kept,
        )
    assert set(NameKey.objects.values_list("text_id", flat=True)) == {0}
    after = [_found(q) for q in queries]
    assert after == before


def _found(query: str) -> list[tuple[object, str, int, float]]:
    return [(hit.person_id, hit.form, hit.tier, hit.score) for hit in find_persons(query)]

