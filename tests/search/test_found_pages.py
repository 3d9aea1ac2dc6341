"""The person list's search page counts and reads its hits as the policy's query does.

When only the name search is set, the list searches once and, for a user whose view is exactly
some levels (``levels_seen``), counts the hits by one written statement (``count_visible`` with
keys) and reads the page by a statement compiled once per levels, order and number of keys
(``page_visible`` with keys; issue 14, §2, tenth round). These tests hold both to the policy's
query over the same keys — the same persons, every field, in the same order — for every role,
the search's order and every sort, hidden, soft-deleted and no-level rows among the keys; hold
the list's search pages to ``search_persons``; and hold that a user whose view is more than a
ceiling (a grant, an own record above it) is never read this way.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from tests.visible_pages import BOUNDS, ORDERS, persons_at_every_level, values
from vigil.accounts.models import User
from vigil.core.context import change_context
from vigil.core.db.keys_in import keys_order
from vigil.policy.access import levels_seen
from vigil.policy.models import CaseGrant
from vigil.records.models import Case, Person
from vigil.records.visible import count_visible, page_visible, visible
from vigil.search import name_search
from vigil.search.persons import search_persons
from vigil.web import listing
from vigil.web.lists import PERSONS

pytestmark = pytest.mark.django_db
GIVEN = ("Ales", "Ivan", "Volha", "Iryna")
SORTS = ("", "name", "-name", "born", "-born", "updated", "-updated", "nonsense")


@pytest.fixture
def persons(ctx: Any) -> list[Person]:  # the shared ctx and users (tests/conftest.py)
    return persons_at_every_level(lambda copy: f"{GIVEN[copy % 4]} Quorvalik", 5, is_synthetic=True)


def _key(person: Person) -> Any:
    """The person's key as the database takes it (what the search gives)."""
    return Person._meta.pk.get_db_prep_value(person.pk, connection)


def _assert_key_pages(user: User, keys: list[Any]) -> None:
    among = visible(user, Person.objects.filter(pk__in=keys))
    assert count_visible(user, Person, keys) == among.count()
    orders = [(order, False) for order in ORDERS] + [(("display_name", "id"), True)]
    for order, by_keys in orders:
        first = [keys_order(Person, keys, connection)] if by_keys else []
        policy = among.order_by(*first, *order)
        for low, high in BOUNDS:
            found = page_visible(user, Person, order, low, high, keys, by_keys=by_keys)
            assert found is not None
            expected = list(policy[low:high])
            assert values(found) == values(expected), (order, by_keys, low, high)
            assert all(not p._state.adding and p._state.db == "default" for p in found)


def test_a_page_of_keys_is_the_policys_page_for_every_role_and_order(
    users: dict[str, User], persons: list[Person]
) -> None:
    # Every level's persons among the keys, in an order that is not the table's.
    keys = [_key(p) for p in persons[::2] + persons[1::2]]
    shown = set()
    for role, user in users.items():
        assert levels_seen(user, Person) is not None, role
        _assert_key_pages(user, keys)
        _assert_key_pages(user, keys[:7])  # another number of keys: another statement
        shown.add(count_visible(user, Person, keys))
    # The roles see different numbers of these persons: a read that ignored the levels would not.
    assert len(shown) > 1


def test_a_page_of_keys_leaves_out_soft_deleted_rows_and_values_that_are_no_level(
    users: dict[str, User], persons: list[Person], ctx: None
) -> None:
    keys = [_key(p) for p in reversed(persons)]
    for person in persons[::3]:
        person.soft_delete("fictional duplicate")
    for value, person in zip(("aaa", "m", "q", "zzz", ""), persons[1::3], strict=False):
        Person.all_objects.filter(pk=person.pk).update(confidentiality=value)
    for user in users.values():
        _assert_key_pages(user, keys)


def test_no_keys_count_and_read_nothing(users: dict[str, User], persons: list[Person]) -> None:
    with CaptureQueriesContext(connection) as captured:
        assert count_visible(users["analyst"], Person, []) == 0
        assert page_visible(users["analyst"], Person, ORDERS[0], 0, 25, []) == []
    assert not captured.captured_queries


def test_a_page_of_keys_is_not_read_past_a_grant(
    users: dict[str, User], persons: list[Person], ctx: None
) -> None:
    viewer = users["viewer"]
    keys = [_key(p) for p in persons]
    assert page_visible(viewer, Person, ORDERS[0], 0, 40, keys) is not None  # compiled
    secret = next(p for p in persons if p.confidentiality == "secret")
    case = Case.objects.create(title="Fictional case", confidentiality="internal")
    case.persons.add(secret)
    CaseGrant.objects.create(user=viewer, case=case, level="secret", granted_by=None)
    assert page_visible(viewer, Person, ORDERS[0], 0, 40, keys) is None
    # Counted through the policy's query: the granted secret person is among them.
    assert (
        count_visible(viewer, Person, keys)
        == visible(viewer, Person.objects.filter(pk__in=keys)).count()
    )
    page = listing.list_page(PERSONS, viewer, QueryDict("q=Quorvalik"))
    assert secret.pk in {row.person.pk for row in page.rows}


def test_a_documenters_own_secret_record_is_found_only_by_them(
    users: dict[str, User], persons: list[Person]
) -> None:
    other = User.objects.create_user("fictional-documenter-2", role="documenter")
    owner = users["documenter"]
    # The other documenter's page is compiled first: the owner's read must not reuse it.
    assert listing.list_page(PERSONS, other, QueryDict("q=Quorvalik")).rows
    with change_context("test", actor=owner, detail="a documenter records a secret person"):
        own = Person.objects.create(
            display_name="Pavel Quorvalik", confidentiality="secret", is_synthetic=True
        )
    assert own.created_by_id == owner.pk
    keys = [_key(own), *(_key(p) for p in persons)]
    assert page_visible(owner, Person, ORDERS[0], 0, 40, keys) is None
    again = page_visible(other, Person, ORDERS[0], 0, 40, keys)
    assert again is not None and own.pk not in {p.pk for p in again}
    for user, shown in ((owner, True), (other, False)):
        for sort in ("", "-name"):
            page = listing.list_page(PERSONS, user, QueryDict(f"q=Pavel+Quorvalik&sort={sort}"))
            assert (own.pk in {row.person.pk for row in page.rows}) is shown, (user, sort)


@pytest.mark.slow  # 768 list pages, each against the policy's query: ~3 s
def test_search_pages_are_the_policys_pages(
    users: dict[str, User], persons: list[Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "PAGE_SIZE", 4)
    for role in ("viewer", "documenter", "analyst", "admin"):
        user = users[role]
        for query in ("Quorvalik", "Ales Quorvalik", "Volha", "Zzyzxfictional"):
            policy = search_persons(query, user)
            for sort in SORTS:
                if sort:
                    policy = policy.order_by(
                        *listing.ordering(PERSONS, listing.parse_sort(PERSONS, sort))
                    )
                expected_all = list(policy)
                for number in ("1", "2", "3", "999", "-1", "x"):
                    params = QueryDict(mutable=True)
                    params.update({"q": query, "sort": sort, "page": number})
                    page = listing.list_page(PERSONS, user, params)
                    low = (page.page.number - 1) * 4
                    expected = [p.pk for p in expected_all[low : low + 4]]
                    found = [row.person.pk for row in page.rows]
                    assert found == expected, (role, query, sort, number)
                    assert page.page.paginator.count == len(expected_all)
                    # Every field (the rows' names attached to the persons aside).
                    fields = [f.attname for f in Person._meta.concrete_fields]
                    assert [[getattr(r.person, f) for f in fields] for r in page.rows] == [
                        [getattr(p, f) for f in fields] for p in expected_all[low : low + 4]
                    ]
        assert len(list(search_persons("Quorvalik", user))) > 4  # more than one page


def test_a_search_page_searches_once_and_reads_the_persons_in_two_queries(
    users: dict[str, User], persons: list[Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    searched = []
    search = name_search.person_keys

    def counted(*args: Any, **kwargs: Any) -> list[Any]:
        searched.append(args)
        return search(*args, **kwargs)

    monkeypatch.setattr("vigil.search.persons.person_keys", counted)
    for role in ("viewer", "documenter", "analyst", "admin"):
        params = QueryDict("q=Quorvalik&page=2")
        listing.list_page(PERSONS, users[role], params)
        searched.clear()
        with CaptureQueriesContext(connection) as captured:
            page = listing.list_page(PERSONS, users[role], params)
        assert len(searched) == 1
        assert page.rows
        sqls = [q["sql"] for q in captured.captured_queries]
        # The persons' count and rows (the search's statements read its forms and join persons;
        # a documenter's ceiling asks whether they own a record above it).
        reads = [s for s in sqls if s.startswith('SELECT "records_person"."id"') or "COUNT(" in s]
        assert len(reads) == 2, role  # the count and the page
        assert sum("LIMIT" in sql for sql in reads) == 1
