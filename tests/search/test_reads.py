"""The name search reads the key rows in two steps and finds exactly what one read finds.

A given name's keys are read only for the forms that have a surname's key, and a surname's
skeletons one edit away only when the forms with its own keys name too few persons
(docs/benchmarks.md §4, fifth round). The searches below are compared with one read of every
key (``_key_rows``), for three roles, with the first step partial and not.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from tests.module_data import built_once
from vigil.core.context import change_context
from vigil.records.models import Person, PersonName
from vigil.search import name_search
from vigil.search.name_search import find_persons
from vigil.search.spelling import query_tokens
from vigil.search.sync import catch_up

QUERIES = [
    "Quorvalik",  # 60 persons with the surname's own keys, a few one edit away, a longer one
    "Ales Quorvalik",
    "Алесь Кворвалік",
    "Quorvalik Iryna",
    "Fictus07 Quorvalik",  # an unknown word is required too
    "A. Quorvalik",
    "Quorvanik",  # one letter off: the near keys decide
    "Quorval",  # a prefix
    "Zendrovich",  # a rare surname: the first step reads the near keys too
    "Pavel Zendrowicz",
    "Ales",  # a given name alone
    "Ales Pavel",  # given names only
]
GIVEN = ["Ales", "Ivan", "Pavel", "Volha", "Iryna"]
GIVEN_BE = ["Алесь", "Іван", "Павел", "Вольга", "Ірына"]


@pytest.fixture(scope="module")
def _names_once(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Sixty persons sharing a surname (in Latin and Cyrillic), some one letter off, a longer
    surname, a rare surname, restricted names and a restricted person (written once)."""
    with built_once(django_db_blocker), change_context("test", detail="search reads fixture"):
        for i in range(60):
            given = GIVEN[i % 5]
            person = Person.objects.create(display_name=f"{given} Quorvalik", is_synthetic=True)
            cyrillic = f"{GIVEN_BE[i % 5]} Кворвалік"
            PersonName.objects.create(person=person, value=cyrillic, lang="be")
            if i % 7 == 0:
                PersonName.objects.create(
                    person=person, value=f"Fictus{i:02d} Quorvalik", confidentiality="restricted"
                )
        for i, surname in enumerate(["Quorvanik", "Kvorvalik", "Quorvalikova", "Quorvalski"]):
            Person.objects.create(display_name=f"{GIVEN[i]} {surname}", is_synthetic=True)
        hidden = Person.objects.create(
            display_name="Fictus07 Quorvalik", is_synthetic=True, confidentiality="restricted"
        )
        PersonName.objects.create(person=hidden, value="Pavel Zendrovich")
        for name in ["Pavel Zendrovich", "Ales Zendrowicz", "Iryna Zandrovich"]:
            Person.objects.create(display_name=name, is_synthetic=True)
        catch_up(limit=None)
        yield


@pytest.fixture
def names(_names_once: None, db: None) -> None:
    return None


class _OneRead:
    """Every key row of every word in one statement, as the search read them before."""

    partial = False

    def __init__(self, tokens: list[Any]) -> None:
        self._tokens = tokens

    def first(self) -> list[tuple[int, str]]:
        return name_search._key_rows(self._tokens)


def _searches(users: list[Any]) -> dict[tuple[str, str], list[Any]]:
    return {(u.username, q): find_persons(q, u) for u in users for q in QUERIES}


@pytest.mark.parametrize("near_after", [1, 10**6])
def test_two_steps_find_the_same_persons_in_the_same_order_as_one_read(
    names, viewer, admin_user, monkeypatch, near_after
):
    users = [viewer, admin_user]
    monkeypatch.setattr(name_search, "NEAR_AFTER", near_after)
    two_steps = _searches(users)
    monkeypatch.setattr(name_search, "_Reads", _OneRead)
    one_read = _searches(users)
    assert two_steps == one_read
    assert len(one_read[(viewer.username, "Quorvalik")]) == 50
    assert one_read[(admin_user.username, "Quorvanik")]
    assert one_read[(admin_user.username, "Pavel Zendrowicz")]
    # Restricted names and a restricted person: found by the administrator only.
    query = "Fictus07 Quorvalik"
    assert len(one_read[(admin_user.username, query)]) > len(one_read[(viewer.username, query)])


def test_the_near_keys_are_not_read_when_the_surname_s_own_keys_name_enough_persons(
    names, viewer, monkeypatch
):
    monkeypatch.setattr(name_search, "NEAR_AFTER", 20)
    rests = []
    rest = name_search._Reads.rest
    monkeypatch.setattr(name_search._Reads, "rest", lambda self: rests.append(1) or rest(self))
    assert len(find_persons("Ales Quorvalik", viewer)) == 50
    assert rests == []
    find_persons("Quorvanik", viewer)  # its own keys are few: read with the near keys at once
    assert rests == []
    monkeypatch.setattr(name_search, "NEAR_AFTER", 1)
    find_persons("Quorvanik", viewer)  # one KEYED person of fifty: the near keys are read
    assert rests == [1]


def test_a_given_name_s_keys_are_read_only_for_forms_with_the_surname(names):
    tokens = query_tokens("Ales Zendrovich")
    rows = name_search._Reads(tokens).first()
    every = name_search._key_rows(tokens)
    assert {form for form, _ in rows} < {form for form, _ in every}
    assert len(rows) < len(every) / 5


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite ranks ties by (term, key)")
def test_forms_of_equal_rank_keep_one_order_whatever_order_the_database_returns_rows_in(names):
    # Which forms of equal rank the cap keeps is decided by where each first matches (the
    # statement's term, then the key) and then its id, not by the order the rows arrive in:
    # that order follows SQLite's plan, which changes with the tables' statistics (a
    # MULTI-INDEX OR gives it term by term; with other statistics it did not).
    for query in QUERIES:
        tokens = query_tokens(query)
        rows = list(name_search._key_rows(tokens))
        seen = name_search._seen(tokens, rows)
        assert seen, query
        for shuffled in (rows[::-1], sorted(rows, key=lambda row: (-row[0], row[1]))):
            assert name_search._seen(tokens, shuffled) == seen, query


@pytest.mark.parametrize(("check_from", "check_batch"), [(1, 1), (1, 7), (30, 100)])
def test_checking_forms_in_their_order_finds_what_checking_every_loaded_form_finds(
    names, viewer, admin_user, monkeypatch, check_from, check_batch
):
    users = [viewer, admin_user]
    monkeypatch.setattr(name_search, "CHECK_FROM", 10**6)
    every_form_checked = _searches(users)
    monkeypatch.setattr(name_search, "CHECK_FROM", check_from)
    monkeypatch.setattr(name_search, "CHECK_BATCH", check_batch)
    in_order = _searches(users)
    assert in_order == every_form_checked
    # Restricted names and a restricted person stay out in either way.
    query = "Fictus07 Quorvalik"
    assert len(in_order[(admin_user.username, query)]) > len(in_order[(viewer.username, query)])


def test_forms_are_checked_only_until_they_name_enough_persons(names, viewer, monkeypatch):
    monkeypatch.setattr(name_search, "CHECK_FROM", 1)
    monkeypatch.setattr(name_search, "CHECK_BATCH", 10)
    read, checked = [], []
    forms, visible_ids = name_search._forms, name_search._visible_ids
    monkeypatch.setattr(name_search, "_forms", lambda ids: read.extend(ids) or forms(ids))
    monkeypatch.setattr(
        name_search, "_visible_ids", lambda u, ids: checked.extend(ids) or visible_ids(u, ids)
    )
    hits = find_persons("Quorvalik", viewer, limit=5)
    assert len(hits) == 5
    assert len(read) > 100  # every form with the surname's keys is read to be ordered…
    assert 5 <= len(checked) <= 20  # …and only the first of them are checked
    assert set(checked) < set(read)
