"""The shared bulk writers (vigil.records.batch): constructor, new records, plain rows, ids."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from vigil.core.context import change_context
from vigil.core.history import history_of, snapshot
from vigil.records.batch import NewRecords, insert_plain, new_record, next_ids
from vigil.records.models import Act, Information, Person, PersonName, Source
from vigil.records.upsert import NAMESPACE, existing_ids, stable_id
from vigil.sanctions.models import ListChange, SanctionsList


def test_the_fast_constructor_builds_a_generic_citation_as_the_keyword_constructor_does() -> None:
    source = Source(id=uuid.uuid4(), title="Fictional page")
    fields = {
        "id": uuid.uuid4(),
        "source": source,
        "target_type_id": 7,
        "target_id": uuid.uuid4(),
        "quote": "A fictional quote",
    }
    fast, slow = new_record(Information, **fields), Information(**fields)
    assert type(fast) is Information
    assert fast._state.adding
    assert snapshot(fast) == snapshot(slow)
    assert fast.source_id == source.pk


def test_a_related_field_takes_an_id_by_its_name_and_an_unknown_field_fails() -> None:
    person = uuid.uuid4()
    name = new_record(PersonName, id=uuid.uuid4(), person=person, value="Fictional Name")
    assert name.person_id == person
    with pytest.raises(KeyError):
        new_record(Person, id=uuid.uuid4(), no_such_field=1)


def test_the_fast_constructor_gives_the_keyword_constructors_attributes_in_its_order() -> None:
    person = Person(id=uuid.uuid4(), display_name="Fictional Person")
    fields = {"id": uuid.uuid4(), "person": person, "value": "Fictional Name", "is_primary": True}
    fast, slow = new_record(PersonName, **fields), PersonName(**fields)
    slow_values = {k: v for k, v in vars(slow).items() if k != "_state"}
    fast_values = {k: v for k, v in vars(fast).items() if k != "_state"}
    assert fast_values == slow_values
    assert list(vars(fast)) == list(vars(slow))
    assert fast.person_id == person.pk
    assert "person" not in vars(fast)


def test_a_relation_given_by_name_and_by_attname_keeps_the_value_given_last() -> None:
    first, second = uuid.uuid4(), Person(id=uuid.uuid4(), display_name="Fictional Person")
    by_name_last = {"id": uuid.uuid4(), "person_id": first, "person": second, "value": "A"}
    assert new_record(PersonName, **by_name_last).person_id == second.pk
    by_id_last = {"id": uuid.uuid4(), "person": second, "person_id": first, "value": "A"}
    assert new_record(PersonName, **by_id_last).person_id == first
    assert "person" not in vars(new_record(PersonName, **by_id_last))


def test_an_unknown_field_fails_and_records_do_not_share_their_attributes() -> None:
    with pytest.raises(KeyError, match="no_such_field"):
        new_record(PersonName, id=uuid.uuid4(), value="A", no_such_field=1)
    one = new_record(Person, id=uuid.uuid4(), display_name="One")
    two = new_record(Person, id=uuid.uuid4(), display_name="Two")
    one.notes = "changed"
    assert two.notes == ""
    assert one._state is not two._state
    assert vars(one) is not vars(two)


@pytest.mark.django_db(transaction=True)
def test_new_records_are_written_with_one_first_version_each() -> None:
    writer = NewRecords(batch_size=1)
    people = [
        writer.add(new_record(Person, id=uuid.uuid4(), display_name=f"Fictional {i}"))
        for i in range(3)
    ]
    writer.add(new_record(PersonName, id=uuid.uuid4(), person=people[0], value="Fictional 0"))
    with change_context("test", detail="batch test"), transaction.atomic():
        writer.flush()
    assert writer.counts == {"records.person": 3, "records.personname": 1}
    assert writer.pending == {}
    for obj in [*people]:
        versions = history_of(obj)
        assert [(v.model, v.version, v.action) for v in versions] == [
            ("records.person", 1, "create")
        ]
    assert Person.objects.filter(pk__in=[p.pk for p in people]).count() == 3


@pytest.mark.django_db(transaction=True)
def test_plain_rows_get_their_keys_from_the_database() -> None:
    lst = SanctionsList.objects.create(
        name="fictional", kind="ftm", issuer="Test", programme="Test", imported_at=timezone.now()
    )
    changes = [
        new_record(
            ListChange, sanctions_list=lst, at=timezone.now(), version_date=dt.date(2025, 1, 1),
            entity_id=f"e{i}", change="added", caption=f"Fictional entity {i}",
        )  # fmt: skip
        for i in range(5)
    ]
    with transaction.atomic():
        insert_plain(changes)
        insert_plain([])
    stored = ListChange.objects.filter(sanctions_list=lst).order_by("entity_id")
    assert [c.entity_id for c in stored] == [f"e{i}" for i in range(5)]
    assert len({c.pk for c in stored}) == 5
    assert all(c.pk is not None for c in stored)


@pytest.mark.django_db
def test_keys_taken_ahead_are_new_and_the_database_gives_later_rows_others() -> None:
    lst = SanctionsList.objects.create(
        name="fictional", kind="ftm", issuer="Test", programme="Test", imported_at=timezone.now()
    )

    def change(i: int, **fields: object) -> ListChange:
        return new_record(
            ListChange, sanctions_list=lst, at=timezone.now(), version_date=dt.date(2025, 1, 1),
            entity_id=f"e{i}", change="added", caption=f"Fictional entity {i}", **fields,
        )  # fmt: skip

    insert_plain([change(0)])
    before = set(ListChange.objects.values_list("pk", flat=True))
    with transaction.atomic():
        ids = next_ids(ListChange, 3)
        insert_plain([change(i + 1, id=pk) for i, pk in enumerate(ids)])
    assert next_ids(ListChange, 0) == []
    assert len(set(ids)) == 3 and not set(ids) & before
    assert min(ids) > max(before)
    stored = dict(ListChange.objects.filter(pk__in=ids).values_list("pk", "entity_id"))
    assert stored == {pk: f"e{i + 1}" for i, pk in enumerate(ids)}
    later = change(9)
    later.save()
    assert later.pk not in set(ids) | before
    assert set(next_ids(ListChange, 2)).isdisjoint(set(ids) | before | {later.pk})


@pytest.mark.django_db(transaction=True)
def test_existing_ids_finds_recorded_and_soft_deleted_records_only() -> None:
    with change_context("test", detail="batch test"):
        kept = Person.objects.create(display_name="Fictional Kept")
        gone = Person.objects.create(display_name="Fictional Gone")
        gone.soft_delete(reason="test")
    unknown = uuid.uuid4()
    assert existing_ids(Person, [kept.pk, gone.pk, unknown]) == {kept.pk, gone.pk}
    assert existing_ids(Person, []) == set()
    ct = ContentType.objects.get_for_model(Person)
    assert existing_ids(ContentType, [ct.pk, 10**9]) == {ct.pk}


def test_the_row_builder_sends_what_each_field_would_send_whatever_came_before() -> None:
    # The builder skips the checks for rows whose value types it has seen need none; a row of
    # other types (a lazy text, an id as text, a datetime in a date field) still goes through
    # each field, before and after such rows, on whichever database the run uses.
    from django.db import connection
    from django.utils.translation import gettext_lazy

    from vigil.core.history import _needs_pre_save, _row_builder

    fields = Act._meta.local_concrete_fields
    build = _row_builder(Act, connection)
    event = uuid.uuid4()
    plain = new_record(
        Act, id=uuid.uuid4(), event_id=event, act_type_id="act_type.arrest",
        description="Fictional", date=dt.date(2022, 1, 2), version=1,
    )  # fmt: skip
    odd = new_record(
        Act, id=uuid.uuid4(), event_id=str(event), act_type_id="act_type.arrest",
        description=gettext_lazy("Fictional lazy"), version=2,
        date=dt.datetime(2022, 1, 2, 10, 0, tzinfo=dt.UTC),
    )  # fmt: skip
    for obj in (plain, odd, plain, odd, plain):
        row = build(obj)
        for i, f in enumerate(fields):
            if not _needs_pre_save(f):
                assert row[i] == f.get_db_prep_save(getattr(obj, f.attname), connection), f.name
    assert build(odd)[[f.name for f in fields].index("description")] == "Fictional lazy"


def test_stable_ids_are_the_name_based_uuids_of_their_parts() -> None:
    parts_list = [
        ("a",),
        ("viasna", "row", "9000001"),
        ("person-name", uuid.UUID(int=2**128 - 1), "Імя Прозвішча"),
        ("information", uuid.UUID(int=0), 7, uuid.UUID(int=1)),
        ("",),
    ]
    for parts in parts_list:
        made = stable_id(*parts)
        assert made == uuid.uuid5(NAMESPACE, "\x1f".join(map(str, parts)))
        assert (made.version, made.variant) == (5, uuid.RFC_4122)
        assert made.is_safe is uuid.SafeUUID.unknown
        assert hash(made) == hash(uuid.uuid5(NAMESPACE, "\x1f".join(map(str, parts))))
    assert stable_id("a", "b") != stable_id("a\x1fb", "") != stable_id("ab")
