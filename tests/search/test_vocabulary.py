"""The name index's vocabulary (``NameToken``): every stored token with the keys it gives.

The name search reads the other words' rows of the forms with a surname as the rows of the
tokens giving their keys, and works the key rows out from the tokens (docs/benchmarks.md §4,
twelfth round). That is only the same as reading the keys when a form's keys are exactly its
tokens' keys and every stored token is in the vocabulary with those keys — after saves,
edits, rebuilds, and on a database the migration filled.
"""

from __future__ import annotations

import importlib
from collections import Counter
from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from tests.search.conftest import add_name
from tests.search.migration_editor import InTransactionEditor
from vigil.core.context import change_context
from vigil.names import normalise, search_keys
from vigil.records.models import Person
from vigil.search import name_search
from vigil.search.models import NameForm, NameKey, NameToken
from vigil.search.name_index import prune_tokens
from vigil.search.name_search import find_persons
from vigil.search.rebuild import rebuild_all
from vigil.search.spelling import form_keys, query_tokens

pytestmark = pytest.mark.django_db

NAMES = [
    "Ales Quorvalik",
    "Алесь Кворвалік",
    "Алесь Кворвалікава",
    "Pavel Alesko",  # the given name "Ales" is a prefix of this surname's token
    "Ales Alesko",
    "Iryna Alesko",
    "Вольга Пятроўна Alesko",
    "Ivan Ivanovich Quorvalski",
    "Ales Pavel Quorvalik",
]


@pytest.fixture
def persons(db: None) -> list[Person]:
    with change_context("test", detail="vocabulary fixture"):
        found = [Person.objects.create(display_name=n, is_synthetic=True) for n in NAMES]
        add_name(found[0], "Алесь Кворвалік", lang="be")
        add_name(found[3], "Павел Алеська", lang="be")
    return found


def _vocabulary() -> set[tuple[str, str]]:
    return set(NameToken.objects.values_list("token", "key"))


def _keys_by_form() -> dict[int, set[str]]:
    keys: dict[int, set[str]] = {}
    for form_id, key in NameKey.objects.values_list("form_id", "key"):
        keys.setdefault(form_id, set()).add(key)
    return keys


def _assert_every_form_s_keys_are_its_tokens_keys() -> None:
    by_token: dict[str, set[str]] = {}
    for token, key in _vocabulary():
        by_token.setdefault(token, set()).add(key)
    keys = _keys_by_form()
    assert keys
    for form_keys_stored in keys.values():
        tokens = [key for key in form_keys_stored if key.startswith("t:")]
        assert tokens
        assert set().union(*(by_token[token] for token in tokens)) == form_keys_stored


@pytest.mark.parametrize(
    "text",
    [*NAMES, "Лукашэнка-Кавальчук", "O'Neill Ó Briain", "Jürgen Weiß", "Аляксандр Ш."],
)
def test_a_name_s_keys_are_its_search_keys_and_its_tokens(text):
    assert form_keys(text) == search_keys(text) | {"t:" + t for t in normalise(text).split()}


def test_every_stored_token_is_in_the_vocabulary_with_the_keys_it_gives(persons):
    _assert_every_form_s_keys_are_its_tokens_keys()


def test_an_edited_name_s_new_tokens_join_the_vocabulary(persons):
    before = _vocabulary()
    assert not any(token == "t:fikcjukevich" for token, _ in before)
    with change_context("test"):
        name = add_name(persons[1], "Алесь Фікцюкевіч")
        name.value = "Ales Fikcjukevich"
        name.save()
    assert any(token == "t:fikcjukevich" for token, _ in _vocabulary())
    assert before <= _vocabulary()  # a token no form holds stays; it finds no form
    _assert_every_form_s_keys_are_its_tokens_keys()


def test_a_rebuild_writes_the_vocabulary_of_the_stored_tokens_only(persons):
    with change_context("test"):
        name = add_name(persons[2], "Ales Fikcjukevich")
        name.value = "Ales Quorvalik"
        name.save()
    assert any(token == "t:fikcjukevich" for token, _ in _vocabulary())
    rebuild_all()
    assert not any(token == "t:fikcjukevich" for token, _ in _vocabulary())
    _assert_every_form_s_keys_are_its_tokens_keys()


def test_pruning_drops_the_tokens_no_stored_form_holds_and_only_those(persons):
    with change_context("test"):
        person = Person.objects.create(display_name="Ales Zyxwarka", is_synthetic=True)
        add_name(person, "Алесь Зыхварка", lang="be")
        person.soft_delete("fictional duplicate")
    before = _vocabulary()
    assert {"t:zyxwarka", "t:зыхварка"} <= {token for token, _ in before}
    gone = {row for row in before if row[0] in ("t:zyxwarka", "t:зыхварка")}
    assert prune_tokens() == len(gone)
    assert _vocabulary() == before - gone  # "ales", "алесь": other names hold them
    _assert_every_form_s_keys_are_its_tokens_keys()
    assert prune_tokens() == 0


def test_the_migration_fills_the_vocabulary_the_writes_gave(persons):
    written = _vocabulary()
    NameToken.objects.all().delete()
    migration = importlib.import_module("vigil.search.migrations.0004_nametoken_vocabulary")
    migration.fill_vocabulary(apps, InTransactionEditor())
    assert _vocabulary() == written
    assert len(written) > len(NAMES)



def _reference_rows(query: str) -> Counter[tuple[int, str]]:
    """The first step's rows as the search read them before the vocabulary: the surname's
    rows, then every row of the other words' keys of the forms with the surname, as their
    terms give them (on PostgreSQL once a term, ``UNION ALL``; on SQLite, one OR, once in
    all)."""
    tokens = query_tokens(query)
    surnames = [t for t in tokens if not t.given]
    others = [t for t in tokens if t.given]
    own = name_search._key_rows(surnames)
    holders = {form for form, _ in own}
    held = [row for row in name_search._key_rows(others) if row[0] in holders]
    if connection.vendor == "sqlite":
        return Counter(set(own) | set(held))
    return Counter(own + held)


@pytest.mark.parametrize(
    "query",
    ["Ales Quorvalik", "Алесь Кворвалік", "Ales Alesko", "Ales Pavel Quorvalik", "Iryna Alesko"],
)
def test_the_other_words_rows_through_the_vocabulary_are_the_key_rows(persons, monkeypatch, query):
    # NEAR_AFTER above every count: the surname's near keys are read in the first step, so
    # its holders are the forms of every surname row.
    monkeypatch.setattr(name_search, "NEAR_AFTER", 10**6)
    rows = Counter(name_search._Reads(query_tokens(query)).first())
    assert rows == _reference_rows(query)
    assert any(form for form, key in rows if key.startswith("g:"))


def test_a_given_name_prefix_of_the_surname_counts_its_rows_as_before(persons, monkeypatch):
    # "Ales" reads the range of tokens starting with it, which holds the surname's own
    # token "alesko": that row comes once on SQLite and once a term on PostgreSQL.
    monkeypatch.setattr(name_search, "NEAR_AFTER", 10**6)
    rows = Counter(name_search._Reads(query_tokens("Ales Alesko")).first())
    twice = 1 if connection.vendor == "sqlite" else 2
    alesko = [n for key, n in _rows_by_key(rows).items() if key == "t:alesko"]
    assert alesko and all(n % twice == 0 for n in alesko)


def _rows_by_key(rows: Counter[tuple[int, str]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for (_form, key), n in rows.items():
        counts[key] = counts.get(key, 0) + n
    return counts


def test_searches_find_the_same_persons_with_the_vocabulary_as_with_one_read(
    persons, viewer, monkeypatch
):
    queries = ["Ales Quorvalik", "Ales Alesko", "Павел Алеська", "Ales Pavel Quorvalik", "Alesko"]
    with_vocabulary = {q: find_persons(q, viewer) for q in queries}

    class OneRead:
        partial = False

        def __init__(self, tokens: list[Any]) -> None:
            self._tokens = tokens
            self.texts: dict[int, int] = {}
            self.named = name_search._Texts(self.texts)

        def first(self) -> list[tuple[int, str]]:
            return name_search._key_rows(self._tokens, self.texts)

    monkeypatch.setattr(name_search, "_Reads", OneRead)
    assert {q: find_persons(q, viewer) for q in queries} == with_vocabulary
    assert with_vocabulary["Ales Alesko"]


def test_the_forms_of_a_name_hold_the_vocabulary_s_tokens(persons):
    forms = NameForm.objects.count()
    assert forms >= len(NAMES)
    tokens = {t for t, _ in _vocabulary()}
    stored = set(NameKey.objects.filter(key__startswith="t:").values_list("key", flat=True))
    assert stored == tokens
