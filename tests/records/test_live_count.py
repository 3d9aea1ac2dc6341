"""On PostgreSQL the live persons are counted per level by triggers as the writes happen
(migration records/0013, ``vigil.records.live_count``): the numbers kept must equal
``COUNT(*)`` of the live rows at every level after every kind of write, roll back with the
writes, and stay a few rows; the person list's count reads them instead of the rows."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from vigil.accounts.models import User
from vigil.policy.rules import LEVELS
from vigil.records.live_count import COUNTS, live_count
from vigil.records.models import Person
from vigil.records.visible import count_visible, visible

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (VIGIL_DATABASE_URL): SQLite counts a table cheaply")


def _kept() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT confidentiality, SUM(n) FROM {COUNTS} GROUP BY 1")  # noqa: S608
        return {level: int(n) for level, n in cursor.fetchall() if n}


def _counted() -> dict[str, int]:
    return dict(Counter(Person.objects.values_list("confidentiality", flat=True)))


def _rows_kept() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {COUNTS}")  # noqa: S608
        return int(cursor.fetchone()[0])


def _delete_rows(name_start: str) -> None:
    """DELETE the persons whose name starts so (Vigil never hard-deletes; a flush might)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM records_person WHERE display_name LIKE %s", [f"{name_start}%"])


@pytest.fixture
def persons(ctx: Any) -> list[Person]:
    return [
        Person.objects.create(display_name=f"Fictional {level} {copy}", confidentiality=level)
        for level in LEVELS
        for copy in range(3)
    ]


def test_numbers_kept_equal_the_live_rows_at_each_level_after_inserts(
    persons: list[Person],
) -> None:
    assert _kept() == _counted()
    assert _kept() == dict.fromkeys(LEVELS, 3)


def test_numbers_kept_follow_soft_deletes_restores_and_level_changes(
    persons: list[Person], ctx: Any
) -> None:
    persons[0].soft_delete("fictional duplicate")
    persons[4].soft_delete("fictional duplicate")
    assert _kept() == _counted()
    persons[0].restore()
    assert _kept() == _counted()
    moved = persons[5]
    moved.confidentiality = LEVELS[0]
    moved.save()
    assert _kept() == _counted()
    # A soft-deleted row changing level, and an update that changes nothing counted.
    Person.all_objects.filter(pk=persons[4].pk).update(confidentiality=LEVELS[-1])
    Person.objects.filter(pk=persons[1].pk).update(display_name="Fictional renamed")
    assert _kept() == _counted()


def test_numbers_kept_follow_bulk_updates_bulk_inserts_and_hard_deletes(
    persons: list[Person],
) -> None:
    Person.objects.filter(confidentiality=LEVELS[1]).update(confidentiality="no-level")
    assert _kept() == _counted()
    Person.objects.bulk_create(
        [Person(display_name=f"Fictional bulk {n}", confidentiality=LEVELS[2]) for n in range(7)]
    )
    assert _kept() == _counted()
    assert _kept()[LEVELS[2]] == 10
    _delete_rows("Fictional bulk")  # bulk-created: no name forms refer to them
    assert _kept() == _counted()
    assert _kept()[LEVELS[2]] == 3


def test_numbers_kept_follow_copy(persons: list[Person]) -> None:
    template = persons[0]
    with connection.cursor() as cursor:
        with cursor.cursor.copy(
            "COPY records_person (id, version, confidentiality, is_synthetic, deletion_reason,"
            " display_name, name_withheld, sex, birth_date_precision, birth_place, nationality,"
            " notes) FROM STDIN"
        ) as copy:
            for n in range(4):
                copy.write_row(
                    (
                        f"00000000-0000-4000-8000-{n:012d}",
                        1,
                        LEVELS[-1],
                        True,
                        "",
                        f"Fictional copied {n}",
                        False,
                        template.sex,
                        template.birth_date_precision,
                        "",
                        "",
                        "",
                    )
                )
    assert _kept() == _counted()
    assert _kept()[LEVELS[-1]] == 7


def test_a_rolled_back_write_leaves_the_numbers_as_they_were(persons: list[Person]) -> None:
    before = _kept()
    with pytest.raises(RuntimeError), transaction.atomic():
        Person.objects.create(display_name="Fictional rolled back", confidentiality=LEVELS[0])
        _delete_rows("Fictional")
        assert _kept() != before
        raise RuntimeError("roll back")
    assert _kept() == before == _counted()


def test_the_numbers_stay_one_row_per_level(persons: list[Person]) -> None:
    for n in range(30):
        Person.objects.create(display_name=f"Fictional more {n}", confidentiality=LEVELS[n % 2])
    assert _kept() == _counted()
    assert _rows_kept() <= len(LEVELS)


def test_live_count_sums_the_levels_asked(persons: list[Person]) -> None:
    Person.objects.create(display_name="Fictional odd", confidentiality="no-level")
    assert live_count(connection, "records_person", LEVELS[:2]) == 6
    assert live_count(connection, "records_person", ["no-level"]) == 1
    assert live_count(connection, "records_act", LEVELS[:2]) is None


def test_the_person_count_reads_the_numbers_not_the_rows(
    users: dict[str, User], persons: list[Person]
) -> None:
    analyst = users["analyst"]
    with CaptureQueriesContext(connection) as captured:
        counted = count_visible(analyst, Person)
    assert counted == visible(analyst, Person.objects.all()).count()
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert COUNTS in sql
    assert 'COUNT(*) FROM "records_person"' not in sql


INSERT_ONE = (
    "INSERT INTO records_person (id, version, confidentiality, is_synthetic, deletion_reason,"
    " display_name, name_withheld, sex, birth_date_precision, birth_place, nationality, notes)"
    " VALUES (gen_random_uuid(), 1, %s, true, '', 'Fictional concurrent', false, '', '', '',"
    " '', '')"
)


def _other_connection() -> Any:
    """A second session on the test database (its own transactions)."""
    from django.db import DEFAULT_DB_ALIAS, connections

    other = connections.create_connection(DEFAULT_DB_ALIAS)
    other.settings_dict = {**connection.settings_dict}
    other.ensure_connection()
    return other


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_and_a_repeatable_read_writer_keep_the_numbers_exact() -> None:
    first, second = _other_connection(), _other_connection()
    try:
        first.set_autocommit(False)
        second.set_autocommit(False)
        with first.cursor() as a, second.cursor() as b:
            a.execute(INSERT_ONE, [LEVELS[0]])  # holds the advisory lock: folds
            b.execute(INSERT_ONE, [LEVELS[0]])  # cannot take it: only appends
            b.execute(INSERT_ONE, [LEVELS[1]])
            first.commit()
            b.execute(INSERT_ONE, [LEVELS[1]])  # the lock is free now: folds what it sees
            second.commit()
            b.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            b.execute(INSERT_ONE, [LEVELS[2]])  # never folds in REPEATABLE READ
            a.execute(INSERT_ONE, [LEVELS[2]])
            first.commit()
            b.execute(INSERT_ONE, [LEVELS[2]])
            second.commit()
        assert _kept() == _counted() == {LEVELS[0]: 2, LEVELS[1]: 2, LEVELS[2]: 3}
    finally:
        first.close()
        second.close()
