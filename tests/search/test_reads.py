"""The name search reads the key rows in two steps and finds exactly what one read finds.

A given name's keys are read only for the forms that have a surname's key, and a surname's
skeletons one edit away only when the forms with its own keys name too few persons
(docs/benchmarks.md §4, fifth round). The searches below are compared with one read of every
key (``_key_rows``), for three roles, with the first step partial and not.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from tests.module_data import built_once
from vigil.core.context import change_context
from vigil.records.models import Person, PersonName
from vigil.search import name_search
from vigil.search.models import NameForm
from vigil.search.name_search import find_persons
from vigil.search.persons import search_persons
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
        self.texts: dict[int, int] = {}
        self.named = name_search._Texts(self.texts)

    def first(self) -> list[tuple[int, str]]:
        return name_search._key_rows(self._tokens, self.texts)


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


def _is_given(token: Any) -> Any:
    return lambda key: (
        key in token.exact | token.near or (bool(token.prefix) and key.startswith(token.prefix))
    )


def test_the_given_name_s_rows_are_every_one_of_its_rows_of_the_forms_with_the_surname(
    names, monkeypatch
):
    # NEAR_AFTER above every count: the surname's near keys are read at once, so the forms
    # with the surname are those of every surname row (the holders).
    monkeypatch.setattr(name_search, "NEAR_AFTER", 10**6)
    given, surname = query_tokens("Ales Quorvalik")
    rows = name_search._Reads([given, surname]).first()
    holders = {form for form, _ in name_search._key_rows([surname])}
    every_given = name_search._key_rows([given])
    is_given = _is_given(given)
    held = Counter(row for row in rows if is_given(row[1]))
    assert held == Counter(row for row in every_given if row[0] in holders)
    assert 0 < len(held) < len(every_given)


def test_the_forms_are_read_and_checked_by_one_statement_whatever_their_number(names):
    ids = list(NameForm.objects.order_by("pk").values_list("pk", flat=True)[:60])
    statements = []
    for count in (3, 60):
        condition = name_search._forms_in(ids[:count])
        statements.append(condition.as_sql(None, connection)[0])
        assert set(NameForm.objects.filter(condition).values_list("pk", flat=True)) == set(
            ids[:count]
        )
        assert set(name_search._forms(ids[:count])) == set(ids[:count])
    # One value (an array on PostgreSQL, a JSON array on SQLite): one prepared statement for
    # every search.
    assert statements[0] == statements[1]


def _key_statement(query: str) -> str:
    statements: list[str] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        name_search._Reads(query_tokens(query)).first()
    return statements[0]


def test_the_key_statement_has_one_text_for_every_query_of_one_shape(names):
    # Two surnames with different numbers of keys one edit away; a given name and a surname.
    one_word = [_key_statement(q) for q in ("Quorvalik", "Zendrovich")]
    two_words = [_key_statement(q) for q in ("Ales Quorvalik", "Ivan Zendrovich")]
    # A list of keys is one value (an array on PostgreSQL, a JSON array on SQLite): one
    # prepared statement for every query of the shape.
    assert one_word[0] == one_word[1]
    assert two_words[0] == two_words[1]
    # The given name's rows are worked out from the surname's forms' texts, not read: a
    # given name and a surname read what the surname alone reads.
    assert one_word[0] == two_words[0]


@pytest.mark.parametrize(
    "query", ["Quorvalik", "Quorval", "Кворвал", "Ales Quorvalik", "A. Quorvalik"]
)
def test_the_key_rows_are_those_of_a_plain_list_and_prefix_match(names, query):
    # The statement's lists and ranges (one array and a byte-order range on PostgreSQL, a JSON
    # array and a range on SQLite) read exactly the rows of `key IN (…)` and
    # `key LIKE 'prefix%'` written out plainly.
    tokens = query_tokens(query)
    keys = sorted(set().union(*(t.exact | t.near for t in tokens)))
    prefixes = [t.prefix for t in tokens if t.prefix]
    terms = [f"key IN ({', '.join(['%s'] * len(keys))})"] if keys else []
    terms += ["substr(key, 1, %s) = %s"] * len(prefixes)
    params: list[Any] = [*keys]
    for prefix in prefixes:
        params += [len(prefix), prefix]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT form_id, key FROM search_namekey WHERE {' OR '.join(terms)}",  # noqa: S608
            params,
        )
        plain = Counter(map(tuple, cursor.fetchall()))
    rows = Counter(name_search._key_rows(tokens))
    assert set(rows) == set(plain)
    assert plain


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
    read, checked, kept = [], [], []
    forms, visible_ids = name_search._forms, name_search._visible_ids
    monkeypatch.setattr(name_search, "_forms", lambda ids: read.extend(ids) or forms(ids))
    monkeypatch.setattr(
        name_search, "_visible_ids", lambda u, ids: checked.extend(ids) or visible_ids(u, ids)
    )
    load = name_search._load
    monkeypatch.setattr(
        name_search,
        "_load",
        lambda wanted, found, *rest: kept.append(len(found)) or load(wanted, found, *rest),
    )
    hits = find_persons("Quorvalik", viewer, limit=5)
    assert len(hits) == 5
    # Ordered from the key rows' texts, only the first forms are read (a batch, to the end
    # of its group of equal rank and similarity), not every form with the surname's keys…
    assert name_search.LOAD_BATCH <= len(read) < kept[-1]
    assert kept[-1] > 100
    assert 5 <= len(checked) <= 20  # …and only the first of them are checked
    assert set(checked) < set(read)


@pytest.mark.parametrize("load_batch", [1, 7, 60])
def test_forms_read_a_group_of_equal_similarity_at_a_time_are_those_of_reading_every_form(
    names, viewer, admin_user, monkeypatch, load_batch
):
    users = [viewer, admin_user]
    monkeypatch.setattr(name_search, "LOAD_BATCH", 10**6)  # every kept form, then ordered
    every_form_read = {
        (u.username, q, n): find_persons(q, u, limit=n)
        for u in users
        for q in QUERIES
        for n in (3, 50)
    }
    monkeypatch.setattr(name_search, "LOAD_BATCH", load_batch)
    read = []
    forms = name_search._read_rows
    monkeypatch.setattr(name_search, "_read_rows", lambda *a: read.append(1) or forms(*a))
    in_groups = {
        (u.username, q, n): find_persons(q, u, limit=n)
        for u in users
        for q in QUERIES
        for n in (3, 50)
    }
    assert in_groups == every_form_read
    assert len(every_form_read[(viewer.username, "Quorvalik", 50)]) == 50
    if load_batch == 1:
        assert len(read) > 2 * len(in_groups)  # several groups read a search, in turn


def test_the_key_rows_name_their_forms_normalised_texts(names):
    for query in ["Ales Quorvalik", "Quorvalik", "Quorval", "Pavel Zendrowicz", "Ales"]:
        reads = name_search._Reads(query_tokens(query))
        rows = reads.first()
        if reads.partial:
            rows = reads.rest()
        forms = {form for form, _ in rows}
        assert forms, query
        stored = dict(NameForm.objects.filter(pk__in=forms).values_list("pk", "normalised"))
        texts = name_search._Texts(reads.texts)
        named = texts.read([reads.texts[pk] for pk in forms])
        assert {pk: named[reads.texts[pk]] for pk in forms} == stored, query


def test_a_user_who_may_see_every_form_has_only_the_forms_of_the_first_persons_checked(
    names, admin_user, monkeypatch
):
    monkeypatch.setattr(name_search, "CHECK_FROM", 1)
    monkeypatch.setattr(name_search, "CHECK_MIN", 1)
    batches: list[list[int]] = []
    visible_ids = name_search._visible_ids
    monkeypatch.setattr(
        name_search, "_visible_ids", lambda u, ids: batches.append(ids) or visible_ids(u, ids)
    )
    hits = find_persons("Quorvalik", admin_user, limit=5)
    assert len(hits) == 5
    assert len(batches) == 1  # one statement, holding the forms up to the fifth person's first
    persons = NameForm.objects.filter(pk__in=batches[0]).values_list("person_id", flat=True)
    assert set(persons) == {hit.person_id for hit in hits}


@pytest.mark.parametrize(("check_min", "check_batch"), [(1, 100), (1, 1), (3, 4), (20, 100)])
def test_the_size_of_each_check_changes_no_hit(names, viewer, monkeypatch, check_min, check_batch):
    limits = (1, 3, 50)
    monkeypatch.setattr(name_search, "CHECK_FROM", 10**6)
    every_form_checked = {(q, n): find_persons(q, viewer, limit=n) for q in QUERIES for n in limits}
    monkeypatch.setattr(name_search, "CHECK_FROM", 1)
    monkeypatch.setattr(name_search, "CHECK_MIN", check_min)
    monkeypatch.setattr(name_search, "CHECK_BATCH", check_batch)
    in_order = {(q, n): find_persons(q, viewer, limit=n) for q in QUERIES for n in limits}
    assert in_order == every_form_checked
    assert any(len(hits) == 3 for (_, n), hits in in_order.items() if n == 3)


def test_the_forms_statement_reads_what_the_orm_reads(names):
    ids = list(NameForm.objects.order_by("pk").values_list("pk", flat=True)[:40])
    read = dict(name_search._forms([*ids, -1]))  # an id that is gone reads nothing
    orm = NameForm.objects.filter(pk__in=ids).values_list("pk", "person_id", "text", "normalised")
    person_id = name_search._person_id
    assert {pk: (person_id(key), text, norm) for pk, (key, text, norm) in read.items()} == {
        pk: (person, text, norm) for pk, person, text, norm in orm
    }


def test_a_person_s_key_orders_as_the_person_s_id_whatever_form_the_id_is_read_in():
    ids = [uuid.uuid4() for _ in range(200)] + [uuid.UUID(int=0), uuid.UUID(int=12345)]
    for id_ in ids:
        assert name_search._person_key(id_) == id_
        for raw in (id_.hex, str(id_), id_.hex.upper()):
            assert name_search._person_key(raw) == id_.hex
    by_id = sorted(ids)
    assert sorted(ids, key=name_search._person_key) == by_id
    assert sorted(ids, key=lambda id_: name_search._person_key(id_.hex)) == by_id
    assert sorted(ids, key=lambda id_: name_search._person_key(str(id_))) == by_id


def test_search_persons_lists_the_hits_in_their_order_and_counts_them(names, viewer):
    for query in QUERIES:
        found = [hit.person_id for hit in find_persons(query, viewer)]
        listed = search_persons(query, viewer)
        assert list(listed.values_list("pk", flat=True)) == found, query
        assert listed.count() == len(found), query


@pytest.mark.parametrize("role", ["viewer", "analyst", "admin_user"])
def test_person_keys_are_the_hits_ids_as_the_database_takes_them(names, role, request):
    user = request.getfixturevalue(role)
    prepare = Person._meta.pk.get_db_prep_value
    for query in QUERIES:
        hits = find_persons(query, user)
        keys = name_search.person_keys(query, user)
        assert keys == [prepare(hit.person_id, connection) for hit in hits], query
        assert [name_search._person_id(key) for key in keys] == [h.person_id for h in hits]
    assert name_search.person_keys("Quorvalik", request.getfixturevalue("viewer"))


def _first_step(
    query: str,
) -> tuple[Counter[tuple[int, str]], bool, Counter[tuple[int, str]], dict]:
    reads = name_search._Reads(query_tokens(query))
    first = Counter(reads.first())
    partial = reads.partial
    return first, partial, Counter(reads.rest()) if reads._near_keys else Counter(), reads.texts


@pytest.mark.parametrize("near_after", [1, 10**6])
def test_the_rows_worked_out_from_the_texts_are_the_rows_one_statement_reads(
    names, monkeypatch, near_after
):
    # The first step reads the required words' own rows (and, while they are few, the near
    # rows) and works out the other words' rows and the near rows of those forms from the
    # forms' texts; read in one statement instead (``None``: as before), the same rows, as
    # many times each, the same partial step and text ids. NEAR_AFTER 1: the own rows are
    # many, the near rows of their forms come from the texts (on SQLite); 10**6: few.
    monkeypatch.setattr(name_search, "NEAR_AFTER", near_after)
    taken = []
    by_texts = name_search._Reads._first_by_texts
    monkeypatch.setattr(
        name_search._Reads,
        "_first_by_texts",
        lambda self, own: taken.append(1) or by_texts(self, own),
    )
    worked_out = {q: _first_step(q) for q in QUERIES}
    assert len(taken) >= 8  # every query with a required word and near keys
    monkeypatch.setattr(name_search._Reads, "_first_by_texts", lambda self, own: None)
    monkeypatch.setattr(name_search, "_held_by_texts", lambda *args: None)
    assert {q: _first_step(q) for q in QUERIES} == worked_out


@pytest.mark.parametrize("limit", [("ROW_CAP", 40), ("_TEXT_LENGTH", 12)])
def test_rows_past_the_cap_or_texts_that_may_be_cut_are_read_as_before(
    names, viewer, admin_user, monkeypatch, limit
):
    # Past ROW_CAP the statement's order decides which rows are cut; a text as long as the
    # stored one may have been cut, its words not all the form's tokens: read, not worked out.
    monkeypatch.setattr(name_search, *limit)
    users = [viewer, admin_user]
    worked_out = _searches(users)
    monkeypatch.setattr(name_search._Reads, "_first_by_texts", lambda self, own: None)
    monkeypatch.setattr(name_search, "_held_by_texts", lambda *args: None)
    assert _searches(users) == worked_out


def test_the_checked_forms_statement_is_the_one_the_orm_compiles(names, viewer, admin_user):
    # Compiled once per check signature, the search's ids put in place of the marked ones:
    # the SQL and parameters compiling it anew gives, for each user and any ids.
    ids = list(NameForm.objects.order_by("pk").values_list("pk", flat=True)[:30])
    for user in (viewer, admin_user):
        for chosen in (ids[:5], ids[3:30], ids[:5]):
            for columns in (("pk",), ("pk", "person_id", "text", "normalised")):
                forms = NameForm.objects.filter(name_search._forms_in(chosen))
                query = name_search._allowed(user, forms).values_list(*columns)
                sql, params = query.query.get_compiler(using=query.db).as_sql()
                kept_sql, kept_params = name_search._checked(user, chosen, columns)
                assert (kept_sql, list(kept_params)) == (sql, list(params))
    assert (
        name_search._checked(viewer, ids, ("pk",))[0]
        != name_search._checked(admin_user, ids, ("pk",))[0]
    )
