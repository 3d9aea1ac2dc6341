"""``page_visible`` reads a page of the records a user may view, as the policy's query does.

For a user whose view is exactly some levels (``levels_seen``), the person list's unfiltered page
is read by a statement compiled once per levels and order (issue 14, §2); these tests hold it to
``visible(user, ...).order_by(...)[low:high]`` — the same persons, the same values, in the same
order — for every role, every sort of the list, soft-deleted rows and level values that are no
level, and hold that a user whose view is more than a ceiling (a grant, an own record above it)
is never read this way: the statement holds no user's value, so one user's read can never serve
another.
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
from vigil.policy.access import levels_seen
from vigil.policy.models import CaseGrant
from vigil.records.live_count import COUNTS
from vigil.records.models import Case, Person
from vigil.records.visible import page_visible, visible
from vigil.web import listing
from vigil.web.lists import PERSONS

pytestmark = pytest.mark.django_db


@pytest.fixture
def persons(ctx: Any) -> list[Person]:  # the shared ctx and users (tests/conftest.py)
    return persons_at_every_level(lambda copy: f"Fictional {copy % 4}", 3)


def _assert_pages(user: User) -> None:
    for order in ORDERS:
        policy = visible(user, Person.objects.order_by(*order))
        for low, high in BOUNDS:
            found = page_visible(user, Person, order, low, high)
            assert found is not None
            expected = list(policy[low:high])
            assert values(found) == values(expected), (order, low, high)
            assert all(not p._state.adding and p._state.db == "default" for p in found)


def test_page_visible_reads_the_policys_rows_for_every_role_and_order(
    users: dict[str, User], persons: list[Person]
) -> None:
    for role, user in users.items():
        assert levels_seen(user, Person) is not None, role
        _assert_pages(user)
    # The roles see different persons: a read that ignored the levels would differ.
    firsts = {
        tuple(p.pk for p in page_visible(u, Person, ORDERS[0], 0, 40) or []) for u in users.values()
    }
    assert len(firsts) > 1


def test_page_visible_leaves_out_soft_deleted_rows_and_values_that_are_no_level(
    users: dict[str, User], persons: list[Person], ctx: None
) -> None:
    for person in persons[::3]:
        person.soft_delete("fictional duplicate")
    for value, person in zip(("aaa", "m", "q", "zzz", ""), persons[1::3], strict=False):
        Person.all_objects.filter(pk=person.pk).update(confidentiality=value)
    for user in users.values():
        _assert_pages(user)


def test_page_visible_is_not_used_past_a_grant(
    users: dict[str, User], persons: list[Person], ctx: None
) -> None:
    viewer = users["viewer"]
    assert page_visible(viewer, Person, ORDERS[0], 0, 40) is not None  # compiled for its levels
    secret = next(p for p in persons if p.confidentiality == "secret")
    case = Case.objects.create(title="Fictional case", confidentiality="internal")
    case.persons.add(secret)
    CaseGrant.objects.create(user=viewer, case=case, level="secret", granted_by=None)
    assert page_visible(viewer, Person, ORDERS[0], 0, 40) is None


def test_page_visible_is_not_used_for_a_documenter_who_owns_a_record_above_the_ceiling(
    users: dict[str, User], persons: list[Person]
) -> None:
    other = User.objects.create_user("fictional-documenter-2", role="documenter")
    owner = users["documenter"]
    # The other documenter's page is compiled first: the owner's read must not reuse it.
    plain = page_visible(other, Person, ORDERS[0], 0, 40)
    assert plain is not None
    with change_context("test", actor=owner, detail="a documenter records a secret person"):
        own = Person.objects.create(display_name="Fictional own", confidentiality="secret")
    assert own.created_by_id == owner.pk
    assert page_visible(owner, Person, ORDERS[0], 0, 40) is None
    again = page_visible(other, Person, ORDERS[0], 0, 40)
    assert again is not None and own.pk not in {p.pk for p in again}
    # The list still shows the owner their own record (through the policy's query), and only them.
    for user, shown in ((owner, True), (other, False)):
        page = listing.list_page(PERSONS, user, QueryDict("sort=-name"))
        assert (own.pk in {row.person.pk for row in page.rows}) is shown


def test_person_list_pages_are_the_policys_pages(
    users: dict[str, User], persons: list[Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "PAGE_SIZE", 4)
    for role in ("viewer", "documenter", "analyst", "admin"):
        user = users[role]
        for sort in ("name", "-name", "born", "-born", "updated", "-updated"):
            order = listing.ordering(PERSONS, sort)
            policy = list(visible(user, Person.objects.order_by(*order)))
            for number in ("1", "2", "3", "999", "-1", "x"):
                query = QueryDict(f"sort={sort}&page={number}")
                page = listing.list_page(PERSONS, user, query)
                low = (page.page.number - 1) * 4
                expected = [p.pk for p in policy[low : low + 4]]
                assert [row.person.pk for row in page.rows] == expected, (role, sort, number)
                assert page.page.paginator.count == len(policy)


def test_an_unfiltered_person_page_reads_the_persons_in_one_query(
    users: dict[str, User], persons: list[Person]
) -> None:
    listing.list_page(PERSONS, users["analyst"], QueryDict("page=2"))
    with CaptureQueriesContext(connection) as captured:
        listing.list_page(PERSONS, users["analyst"], QueryDict("page=2"))
    # The count reads the persons, or on PostgreSQL the numbers kept of them (live_count).
    persons_read = ('FROM "records_person"', f"FROM {COUNTS}")
    reads = [
        q["sql"] for q in captured.captured_queries if any(t in q["sql"] for t in persons_read)
    ]
    assert len(reads) == 2  # the count and the page
    assert sum("LIMIT" in sql for sql in reads) == 1
