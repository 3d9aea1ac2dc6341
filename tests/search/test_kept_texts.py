"""The name search keeps the texts it read by id in each process (``name_search._KEPT_TEXTS``).

A text never changes and its id never names another, so a kept text is the one its id names
for as long as it is stored; a commit that deleted texts (a purge's prune, a rebuild) moves the
texts' generation and no search takes a text kept before it. Inside a transaction nothing is
kept or taken (a text read there may be one the transaction added and rolls back). These tests
commit, so they run outside the test's transaction (docs/benchmarks.md §4, twenty-first round).
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.search.conftest import add_name
from vigil.core.context import change_context
from vigil.core.models import Generation
from vigil.records.models import Person
from vigil.search import name_search
from vigil.search.models import NameText
from vigil.search.name_index import prune_tokens
from vigil.search.name_search import find_persons
from vigil.search.rebuild import rebuild_all

pytestmark = pytest.mark.django_db(transaction=True)

TEXT_TABLE = NameText._meta.db_table
GENERATION_TABLE = Generation._meta.db_table


@pytest.fixture
def kept(monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple[int, dict[int, str]]]:
    """This process's kept texts, empty for the test."""
    fresh: dict[str, tuple[int, dict[int, str]]] = {}
    monkeypatch.setattr(name_search, "_KEPT_TEXTS", fresh)
    return fresh


@pytest.fixture
def persons() -> list[Person]:
    with change_context("test", detail="kept texts fixture"):
        found = [
            Person.objects.create(display_name=name, is_synthetic=True)
            for name in ("Ales Quorvalik", "Aliaksei Quorvalik", "Zmitser Quarvalik")
        ]
        add_name(found[0], "Алесь Кворвалік", lang="be")
    return found


def _kept_now(kept: dict[str, tuple[int, dict[int, str]]]) -> dict[int, str]:
    return kept[connection.alias][1]


def _hits(query: str) -> list[tuple[object, str, int, float]]:
    return [(h.person_id, h.form, h.tier, h.score) for h in find_persons(query)]


def test_a_search_keeps_the_texts_it_read_and_reads_them_no_more(persons, kept):
    first = _hits("Quorvalik")
    assert first
    texts = _kept_now(kept)
    assert texts
    stored = dict(NameText.objects.values_list("pk", "normalised"))
    assert all(stored[pk] == text for pk, text in texts.items())
    with CaptureQueriesContext(connection) as captured:
        again = _hits("Quorvalik")
    assert again == first
    assert not any(TEXT_TABLE in q["sql"] for q in captured.captured_queries)


def test_a_pruned_text_is_taken_by_no_later_search(persons, kept):
    assert _hits("Zmitser Quarvalik")
    pruned = dict(NameText.objects.values_list("normalised", "pk"))["zmitser quarvalik"]
    assert pruned in _kept_now(kept)
    with change_context("test"):
        persons[2].soft_delete("fictional duplicate")
    prune_tokens()  # commits: the texts' generation moves
    assert not NameText.objects.filter(pk=pruned).exists()
    found = _hits("Quorvalik")
    assert found
    assert persons[2].pk not in {pk for pk, *_ in found}
    assert pruned not in _kept_now(kept)


def test_after_a_rebuild_the_texts_are_those_stored(persons, kept):
    before = _hits("Ales Quorvalik")
    old = set(_kept_now(kept))
    rebuild_all()
    assert _hits("Ales Quorvalik") == before
    texts = _kept_now(kept)
    assert not old & set(texts)
    stored = dict(NameText.objects.values_list("pk", "normalised"))
    assert all(stored[pk] == text for pk, text in texts.items())


def test_inside_a_transaction_nothing_is_kept_or_taken(persons, kept):
    found = _hits("Quorvalik")
    texts = dict(_kept_now(kept))
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        assert _hits("Quorvalik") == found
    # The texts read again, no generation asked, and nothing more kept.
    assert any(TEXT_TABLE in q["sql"] for q in captured.captured_queries)
    assert not any(GENERATION_TABLE in q["sql"] for q in captured.captured_queries)
    assert _kept_now(kept) == texts
