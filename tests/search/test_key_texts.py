"""Each name key row holds its form's normalised text (``NameKey.normalised``).

The name search orders the forms of equal rank by their string similarity from the texts
read with the key rows, before any form is read, and reads only the forms of the first
persons (docs/benchmarks.md §4, thirteenth round). That orders them as reading every form
does only when every key row's text is its form's — after saves, edits, merges of a name into
the display name, rebuilds, and on a database the migration filled.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection

from tests.search.conftest import add_name
from vigil.core.context import change_context
from vigil.names import normalise
from vigil.records.models import Person
from vigil.search.models import NameForm, NameKey
from vigil.search.rebuild import rebuild_all

pytestmark = pytest.mark.django_db

NAMES = ["Ales Quorvalik", "Алесь Кворвалік", "Jürgen Weiß", "O'Neill Ó Briain", "Аляксандр Ш."]


@pytest.fixture
def persons(db: None) -> list[Person]:
    with change_context("test", detail="key texts fixture"):
        found = [Person.objects.create(display_name=n, is_synthetic=True) for n in NAMES]
        add_name(found[0], "Алесь Кворвалік", lang="be")
        add_name(found[2], "Юрген Вайс", lang="ru")
    return found


def _texts() -> set[tuple[int, str]]:
    return set(NameKey.objects.values_list("form_id", "normalised"))


def _assert_every_key_row_holds_its_form_s_text() -> None:
    forms = dict(NameForm.objects.values_list("pk", "normalised"))
    rows = list(NameKey.objects.values_list("form_id", "normalised"))
    assert rows
    assert {form for form, _ in rows} == set(forms)
    for form, text in rows:
        assert text == forms[form]
        assert text  # never the column's fill value


def test_every_key_row_holds_its_form_s_normalised_text(persons):
    _assert_every_key_row_holds_its_form_s_text()
    assert {normalise(n) for n in NAMES} <= {text for _, text in _texts()}


def test_an_edited_name_s_key_rows_hold_its_new_text(persons):
    with change_context("test"):
        name = add_name(persons[1], "Алесь Фікцюкевіч")
        name.value = "Ales Fikcjukevich"
        name.save()
        persons[3].display_name = "Sean O'Neill"
        persons[3].save()
    texts = {text for _, text in _texts()}
    assert normalise("Ales Fikcjukevich") in texts
    assert normalise("Алесь Фікцюкевіч") not in texts
    assert normalise("Sean O'Neill") in texts
    _assert_every_key_row_holds_its_form_s_text()


def test_a_rebuild_writes_every_key_row_s_text(persons):
    before = _texts()
    rebuild_all()
    _assert_every_key_row_holds_its_form_s_text()
    assert {text for _, text in _texts()} == {text for _, text in before}


def test_the_migration_fills_the_texts_the_writes_gave(persons):
    written = sorted(NameKey.objects.values_list("pk", "form_id", "key", "normalised"))
    NameKey.objects.update(normalised="")
    migration = importlib.import_module("vigil.search.migrations.0005_namekey_normalised")
    migration.fill_texts(apps, _Editor())
    assert sorted(NameKey.objects.values_list("pk", "form_id", "key", "normalised")) == written
    assert len(written) > len(NAMES)


class _Editor:
    """What the migration's step uses of a schema editor (SQLite's cannot be opened inside a
    test's transaction)."""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)
