"""``count_visible`` is the policy's count of the records a user may view (issue 14, §2).

On SQLite, for a user whose view is exactly a ceiling, the count is taken as every row less the
hidden ones; these tests hold it to ``visible(user, ...).count()`` for every role, with rows at
every level, soft-deleted rows, a level value that is no level, grants that lift a user past
their ceiling, and on PostgreSQL (where the policy's query is counted as it is).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from vigil.accounts.models import User
from vigil.accounts.testing import login_verified
from vigil.policy.access import levels_seen
from vigil.policy.models import CaseGrant
from vigil.policy.rules import LEVELS
from vigil.records.models import Act, Case, Person, Source
from vigil.records.visible import count_visible, visible

pytestmark = pytest.mark.django_db


@pytest.fixture
def persons(ctx: Any) -> list[Person]:  # the shared ctx and users (tests/conftest.py)
    made = []
    for n, level in enumerate(LEVELS):
        for copy in range(n + 2):
            made.append(
                Person.objects.create(
                    display_name=f"Fictional {level} {copy}", confidentiality=level
                )
            )
    return made


def _policy_count(user: User) -> int:
    return visible(user, Person.objects.all()).count()


def _assert_counts(users: dict[str, User]) -> None:
    for role, user in users.items():
        assert count_visible(user, Person) == _policy_count(user), role


def test_count_visible_equals_the_policys_count_for_every_role(
    users: dict[str, User], persons: list[Person]
) -> None:
    _assert_counts(users)
    # The roles see different numbers: the test would notice a count that ignored the level.
    assert len({count_visible(user, Person) for user in users.values()}) > 1


def test_count_visible_leaves_out_soft_deleted_rows_at_every_level(
    users: dict[str, User], persons: list[Person], ctx: None
) -> None:
    before = {role: count_visible(user, Person) for role, user in users.items()}
    for person in persons[::2]:
        person.soft_delete("fictional duplicate")
    _assert_counts(users)
    assert any(count_visible(user, Person) < before[role] for role, user in users.items())


def test_count_visible_leaves_out_a_level_value_that_is_no_level(
    users: dict[str, User], persons: list[Person]
) -> None:
    # Values before, between and after the levels as SQL orders them: none is visible.
    for value, person in zip(("aaa", "m", "q", "zzz", ""), persons, strict=False):
        Person.all_objects.filter(pk=person.pk).update(confidentiality=value)
    _assert_counts(users)


def test_count_visible_counts_an_empty_table(users: dict[str, User]) -> None:
    for user in users.values():
        assert count_visible(user, Person) == 0


def test_count_visible_follows_a_grant_past_the_ceiling(
    users: dict[str, User], persons: list[Person], ctx: None
) -> None:
    viewer = users["viewer"]
    secret = next(p for p in persons if p.confidentiality == "secret")
    case = Case.objects.create(title="Fictional case", confidentiality="internal")
    case.persons.add(secret)
    before = count_visible(viewer, Person)
    CaseGrant.objects.create(user=viewer, case=case, level="secret", granted_by=None)
    assert levels_seen(viewer, Person) is None
    assert count_visible(viewer, Person) == _policy_count(viewer)
    assert count_visible(viewer, Person) == before + 1


def test_levels_seen_only_for_a_record_without_parents(users: dict[str, User]) -> None:
    analyst = users["analyst"]
    assert levels_seen(analyst, Person) is not None
    assert levels_seen(analyst, Act) is None  # an act's event and victim are checked too


def test_count_visible_reads_the_persons_in_one_query(
    users: dict[str, User], persons: list[Person]
) -> None:
    with CaptureQueriesContext(connection) as captured:
        count_visible(users["analyst"], Person)
    counts = [q for q in captured.captured_queries if "records_person" in q["sql"]]
    assert len(counts) == 1  # (the other query reads the user's grants)


def test_person_list_shows_the_policys_count_unfiltered_and_filtered(
    users: dict[str, User], persons: list[Person], ctx: None
) -> None:
    persons[0].soft_delete("fictional duplicate")
    for role in ("viewer", "analyst", "admin"):
        user = users[role]
        client = Client()
        login_verified(client, user)
        total = _policy_count(user)
        for url in ("/persons/", "/persons/?page=1", "/persons/?sort=-born"):
            page = client.get(url).content.decode()
            assert f"{total} persons in the record." in page, (role, url)
        internal = visible(user, Person.objects.filter(confidentiality="internal")).count()
        page = client.get("/persons/?confidentiality=internal").content.decode()
        assert f"{internal} records in this view." in page, role
        assert "persons in the record." not in page


def test_count_visible_counts_a_documenter_s_own_source_above_their_ceiling(
    users: dict[str, User], ctx: Any
) -> None:
    """The ceiling a documenter sees persons by is not all they see of the sources: a source
    they recorded as restricted is theirs to view, and counted."""
    documenter = users["documenter"]
    Source.objects.create(title="Fictional internal report", confidentiality="internal")
    Source.objects.create(
        title="Fictional restricted statement", confidentiality="restricted", created_by=documenter
    )
    Source.objects.create(title="Fictional restricted other", confidentiality="restricted")
    assert levels_seen(documenter, Person) is not None  # persons: exactly the ceiling
    assert levels_seen(documenter, Source) is None
    seen = visible(documenter, Source.objects.all()).count()
    assert count_visible(documenter, Source) == seen == 2
