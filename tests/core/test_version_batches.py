"""The history of a bulk write, one row per batch: every reader sees what per-record rows held.

A bulk write (importers, the synthetic demo) stores one ``VersionBatch`` row per model and
write; a record it created holds its version 1 in its own row until its first change, which
stores that version first. These tests hold the new format against single saves (the history
they write is the one per-record rows of a bulk write held, column for column: see
tests/core/test_history.py), on whichever database the run uses.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from tests.core.test_history import _fictional_viasna_row, _planned

from vigil.core.context import change_context
from vigil.core.errors import ConflictError
from vigil.core.history import (
    _kept_exactly,
    all_versions,
    batch_ids,
    bulk_create_records,
    count_versions,
    first_snapshot_text,
    first_versions,
    history_for,
    history_of,
    stored_history_of,
)
from vigil.core.models import Version, VersionBatch
from vigil.records.models import Act, Person, PersonName

pytestmark = pytest.mark.django_db

FROZEN = dt.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=dt.UTC)


def _shown(v: Version) -> tuple:
    """Everything a reader returns of a version. PostgreSQL keeps snapshots as jsonb (its own
    key order), so there the text compared is the keys sorted; SQLite keeps the text."""
    sort = connection.vendor == "postgresql"
    text = json.dumps(v.snapshot, cls=DjangoJSONEncoder, sort_keys=sort)
    return (
        v.model,
        str(v.object_id),
        v.version,
        v.action,
        v.at,
        str(v.context_id),
        v.context_kind,
        v.context_detail,
        v.actor_id,
        text,
        list(v.changed),
    )


class _Rollback(Exception):
    pass


def _seen(write, read):
    """What ``read`` returns after ``write``, the writes rolled back."""
    try:
        with transaction.atomic():
            objs = write()
            found = read(objs)
            raise _Rollback
    except _Rollback:
        return found


def _single(objs):
    for obj in objs:
        obj.save()
    return objs


def _bulk(objs):
    by_model: dict[type, list] = {}
    for obj in objs:
        by_model.setdefault(type(obj), []).append(obj)
    for group in by_model.values():
        bulk_create_records(group)
    return objs


def _every_reader(objs) -> dict[str, list]:
    from vigil.accounts.models import User
    from vigil.web.changes import changes_of, recent_changes

    admin = User.objects.get(username="fictional-batch-admin")
    return {
        "history_of": sorted(_shown(v) for o in objs for v in history_of(o)),
        "history_for": sorted(_shown(v) for v in history_for(objs)),
        "all_versions": sorted(_shown(v) for v in all_versions()),
        "changes_of": sorted(_shown(c.version) for c in changes_of(admin, objs)),
        "recent": sorted(_shown(c.version) for c in recent_changes(admin, limit=1000)),
        "count": [count_versions()],
    }


@pytest.fixture
def batch_admin(db):
    from vigil.accounts.models import User

    return User.objects.create_user("fictional-batch-admin", "", None, role="admin")


def test_a_bulk_write_stores_one_batch_row_and_no_version_rows():
    with change_context("test", detail="batch") as ctx:
        people = [Person(display_name=f"Fictional Batchperson {i}") for i in range(3)]
        bulk_create_records(people)
    assert not Version.objects.exists()
    [batch] = VersionBatch.objects.all()
    assert (batch.model, batch.count, batch.context_id) == ("records.person", 3, ctx.id)
    assert batch_ids(batch) == [p.pk for p in people]  # in write order
    assert all(Person.objects.get(pk=p.pk).updated_at == batch.at for p in people)
    for p in people:
        [v] = history_of(p)
        assert (v.version, v.action, v.context_kind, v.context_detail) == (
            1,
            "create",
            "test",
            "batch",
        )
        assert v.snapshot["display_name"] == p.display_name


def test_every_reader_sees_the_history_single_saves_write_for_every_imported_model(
    monkeypatch, batch_admin
):
    monkeypatch.setattr(timezone, "now", lambda: FROZEN)
    row = _fictional_viasna_row()
    with change_context("cli", detail="vigil import viasna"):
        single = _seen(lambda: _single(_planned(row)), _every_reader)
        bulk = _seen(lambda: _bulk(_planned(row)), _every_reader)
    assert len(single["history_of"]) == len(_planned(row)) > 13
    assert single["count"] == [len(_planned(row))]
    assert bulk == single


def test_a_derived_snapshot_is_the_text_a_single_save_stores(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: FROZEN)
    fixed = uuid.UUID("6f1c3d4e-0000-4000-8000-00000000000b")

    def person():
        return [Person(id=fixed, display_name="Fictional «Ünïcode» Batch", notes="n\u00a0x")]

    def raw(objs):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT snapshot FROM {Version._meta.db_table} WHERE model = %s",  # noqa: S608
                ["records.person"],
            )
            stored = [r[0] for r in cursor.fetchall()]
        [batch] = VersionBatch.objects.all() or [None]
        row = Person.all_objects.get(pk=fixed)
        derived = first_snapshot_text(row, batch.fields) if batch else None
        return stored, derived

    with change_context("test"):
        (stored,), _ = _seen(lambda: _single(person()), raw)
        none, derived = _seen(lambda: _bulk(person()), raw)
    assert none == []
    if connection.vendor == "postgresql":
        # jsonb keeps its own text of the value: the derived text, as PostgreSQL stores it.
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s::jsonb::text", [derived])
            derived = cursor.fetchone()[0]
    assert derived == stored  # byte for byte


def test_history_for_orders_batches_newest_first_and_each_in_reverse_write_order():
    with change_context("test"):
        first = [Person(display_name=f"Fictional Early {i}") for i in range(3)]
        bulk_create_records(first)
        later = [Person(display_name=f"Fictional Later {i}") for i in range(2)]
        bulk_create_records(later)
        single = Person.objects.create(display_name="Fictional Single")
    order = [v.object_id for v in history_for([*first, *later, single])]
    assert order == [single.pk, later[1].pk, later[0].pk, first[2].pk, first[1].pk, first[0].pk]


def test_the_versions_derived_from_rows_in_hand_are_those_the_rows_read_again_give():
    from django.test.utils import CaptureQueriesContext

    with change_context("test", detail="in hand"):
        people = [Person(display_name=f"Fictional Inhand {i}") for i in range(3)]
        bulk_create_records(people)
        names = [PersonName(person=p, value=f"Fictional Inhand {i}") for i, p in enumerate(people)]
        bulk_create_records(names)
        kept = Person.objects.get(pk=people[2].pk)
        kept.notes = "changed: its version 1 is stored, no longer derived"
        kept.save()
    rows = [*Person.objects.filter(pk__in=[p.pk for p in people]), *PersonName.objects.all()]
    again = [
        v
        for model, group in ((Person, people), (PersonName, names))
        for v in first_versions(model, [o.pk for o in group]).values()
    ]
    with CaptureQueriesContext(connection) as reads:
        derived = history_for(rows)
    # The stored rows, the batches, which of their records have stored versions: three reads
    # for two models (each model's rows were read again, three reads a model, before).
    assert len(reads.captured_queries) == 3
    assert sorted(_shown(v) for v in derived if v.pk is None) == sorted(_shown(v) for v in again)
    assert len(again) == 5  # the changed person's version 1 is stored, not derived
    # A record read without a field its batch recorded is read again, to the same version.
    partial = list(Person.objects.filter(pk=people[0].pk).only("id", "version", "updated_at"))
    [version] = history_for(partial)
    assert _shown(version) == _shown(first_versions(Person, [people[0].pk])[people[0].pk])


def test_the_first_change_stores_version_one_from_the_row_as_it_was():
    def change(objs):
        [person] = objs
        fresh = Person.objects.get(pk=person.pk)
        fresh.notes = "moved to another fictional city"
        fresh.save()
        return [(v.version, v.action, v.changed, v.snapshot["notes"]) for v in history_of(fresh)]

    def person():
        return [Person(id=uuid.UUID(int=7), display_name="Fictional Changer", notes="first")]

    with change_context("test"):
        single = _seen(lambda: _single(person()), change)
        bulk = _seen(lambda: _bulk(person()), change)
        assert (
            bulk
            == single
            == [
                (1, "create", [], "first"),
                (2, "update", ["notes"], "moved to another fictional city"),
            ]
        )
        # Stored now, from the row before the update: the batch no longer derives it.
        _bulk(person())
        change([Person(pk=uuid.UUID(int=7))])
    assert [v.version for v in stored_history_of(Person(pk=uuid.UUID(int=7)))] == [1, 2]
    assert first_versions(Person, [uuid.UUID(int=7)]) == {}


def test_a_stale_copy_of_a_batch_created_record_conflicts_and_stores_version_one_once():
    with change_context("test"):
        [person] = bulk_create_records([Person(display_name="Fictional Stale")])
        one, two = Person.objects.get(pk=person.pk), Person.objects.get(pk=person.pk)
        one.notes = "first writer"
        one.save()
        two.notes = "second writer"
        with pytest.raises(ConflictError):
            two.save()
    assert [(v.version, v.snapshot["notes"]) for v in history_of(person)] == [
        (1, ""),
        (2, "first writer"),
    ]


def test_a_queryset_update_stores_the_first_versions_it_would_change():
    with change_context("test"):
        people = bulk_create_records([Person(display_name=f"Fictional Upd {i}") for i in range(3)])
        Person.all_objects.filter(pk__in=[p.pk for p in people[:2]]).update(notes="changed")
        Person.all_objects.bulk_update([Person(pk=people[2].pk, notes="bulk changed")], ["notes"])
    for p in people:
        [v] = history_of(p)  # the update wrote no version, but version 1 is kept as written
        assert v.pk is not None and v.snapshot["notes"] == "" and v.version == 1
    assert count_versions() == 3


def test_a_field_added_after_a_batch_is_not_in_its_version_one():
    with change_context("test"):
        [person] = bulk_create_records([Person(display_name="Fictional Older Shape")])
    batch = VersionBatch.objects.get()
    # As if "notes" had been added by a later migration: the batch recorded its fields then.
    VersionBatch.objects.filter(pk=batch.pk).update(
        fields=[f for f in batch.fields if f[0] != "notes"]
    )
    [v] = history_of(person)
    assert "notes" not in v.snapshot and v.snapshot["display_name"] == "Fictional Older Shape"


def test_a_value_the_database_keeps_in_another_form_gets_its_own_version_row():
    kept = _kept_exactly(Act)
    act = Act(id=uuid.uuid4(), sentence_months=Decimal("30"))
    assert not kept(act)  # a one-decimal column reads back 30.0: the snapshot would differ
    act.sentence_months = Decimal("30.0")
    assert kept(act)
    act.sentence_months = 30.0
    assert not kept(act)
    kept = _kept_exactly(Person)
    assert not kept(Person(id=uuid.uuid4(), display_name=7))
    assert not kept(
        Person(
            id=uuid.uuid4(),
            display_name="x",
            created_at=FROZEN.astimezone(dt.timezone(dt.timedelta(hours=3))),
        )
    )
    assert kept(Person(id=uuid.uuid4(), display_name="x", created_at=FROZEN))


def test_a_re_import_of_the_same_records_writes_no_history():
    row = _fictional_viasna_row()
    from vigil.records.upsert import upsert_records

    with change_context("cli", detail="vigil import viasna"):
        upsert_records(_planned(row))
        stored, batches = Version.objects.count(), VersionBatch.objects.count()
        report = upsert_records(_planned(row))
    assert report.total("created") == report.total("updated") == 0
    assert (Version.objects.count(), VersionBatch.objects.count()) == (stored, batches)


@pytest.mark.slow  # ~0.8 s a run on a quiet 2-core machine
def test_restricted_batch_created_records_stay_hidden_as_with_single_saves(users):
    from vigil.web.changes import changes_of, recent_changes

    def people():
        return [
            Person(id=uuid.UUID(int=21), display_name="Fictional Open", confidentiality="internal"),
            Person(id=uuid.UUID(int=22), display_name="Fictional Hidden", confidentiality="secret"),
            PersonName(id=uuid.UUID(int=23), person_id=uuid.UUID(int=22), value="Fictional Hidden"),
        ]

    def seen(objs):
        return {
            role: (
                sorted(str(c.version.object_id) for c in changes_of(user, objs)),
                sorted(str(c.version.object_id) for c in recent_changes(user, limit=50)),
            )
            for role, user in users.items()
        }

    with change_context("test"):
        single = _seen(lambda: _single(people()), seen)
        bulk = _seen(lambda: _bulk(people()), seen)
    assert bulk == single
    hidden = {str(uuid.UUID(int=22)), str(uuid.UUID(int=23))}
    assert any(not hidden & set(found[0]) for found in bulk.values())  # someone may not see it
    assert any(hidden <= set(found[0]) for found in bulk.values())


def test_the_search_index_catches_up_with_batches_in_steps_across_them():
    from vigil.search.models import NameForm
    from vigil.search.sync import catch_up, lag

    with change_context("test"):
        bulk_create_records([Person(display_name=f"Fictus Primus {i}") for i in range(4)])
        bulk_create_records([Person(display_name=f"Fictus Secundus {i}") for i in range(4)])
    assert lag() == 8
    seen = []
    for _ in range(3):
        current = catch_up(limit=3)
        seen.append((current, NameForm.objects.count(), lag()))
    assert seen == [(False, 3, 5), (False, 6, 2), (True, 8, 0)]
    assert catch_up(limit=3) is True and lag() == 0


def _acts_with(months: list[Decimal | None], fines: list[Decimal | None]) -> list:
    """The records of the fictional Viasna row, its acts given these sentence lengths and
    fines in turn."""
    planned = _planned(_fictional_viasna_row())
    acts = [o for o in planned if isinstance(o, Act)]
    assert len(acts) >= len(months) >= len(fines)
    for i, act in enumerate(acts):
        act.sentence_months = months[i] if i < len(months) else None
        act.fine_amount = fines[i] if i < len(fines) else None
    return planned


@pytest.mark.parametrize(
    ("months", "fines", "stored"),
    [
        # An importer's whole numbers (the column gives back 30.0): derived trimmed, as held.
        ([Decimal("30"), Decimal("7"), Decimal("30.0")], [Decimal("50")], 1),
        ([Decimal("0.5"), Decimal("7"), None], [Decimal("50"), Decimal("0.25")], 0),
        # A generator's values at the column's places: derived as read (the earlier form).
        ([Decimal("36.0"), Decimal("12.0"), Decimal("30")], [Decimal("2.50")], 1),
    ],
)
def test_decimals_a_batch_derives_are_the_bytes_single_saves_wrote(
    monkeypatch, months, fines, stored
):
    from tests.core.test_history import _bulk, _single_saves, _written

    from vigil.importers.viasna import WRITE_ORDER

    monkeypatch.setattr(timezone, "now", lambda: FROZEN)
    with change_context("cli", detail="vigil import viasna"):
        single = _written(lambda: _single_saves(_acts_with(months, fines)), WRITE_ORDER)
        bulk = _written(lambda: _bulk(_acts_with(months, fines)), WRITE_ORDER)
        # Without writing the derived versions out: only the record in the other form has a
        # stored version row; every other act is derived from its batch.
        acts = [o for o in _acts_with(months, fines) if isinstance(o, Act)]
        held = _seen(
            lambda: bulk_create_records(acts),
            lambda objs: (
                Version.objects.filter(model="records.act").count(),
                [_shown(v) for o in objs for v in history_of(o)],
            ),
        )
    assert bulk == single
    assert held[0] == stored
    assert len(held[1]) == len(acts)
    texts = [row[-2] for row in held[1]]
    assert any('"sentence_months": "30"' in t for t in texts) is (Decimal("30") in months)


def test_a_trimmed_decimal_is_one_the_column_gives_back_without_trailing_zeros():
    trimmed = _kept_exactly(Act, frozenset({"sentence_months"}))
    for value in ("30", "0.5", "0", "1200", "12.5"):
        assert trimmed(Act(id=uuid.uuid4(), sentence_months=Decimal(value))), value
    for value in ("30.0", "0.0", "-0", "0.25", "3E+1", "NaN", "Infinity"):
        assert not trimmed(Act(id=uuid.uuid4(), sentence_months=Decimal(value))), value
    assert not trimmed(Act(id=uuid.uuid4(), sentence_months=30))


def test_whose_history_a_user_may_view_is_one_query_for_every_model_with_each_models_answer(
    users,
):
    from django.test.utils import CaptureQueriesContext

    from vigil.policy.access import (
        granted_case_ids,
        histories_visible,
        history_visible,
        one_reading,
    )

    persons = [
        Person(id=uuid.UUID(int=31), display_name="Fictional Open", confidentiality="internal"),
        Person(id=uuid.UUID(int=32), display_name="Fictional Hidden", confidentiality="secret"),
    ]
    names = [
        PersonName(id=uuid.UUID(int=33), person_id=uuid.UUID(int=31), value="Fictional Open"),
        PersonName(id=uuid.UUID(int=34), person_id=uuid.UUID(int=32), value="Fictional Hidden"),
    ]
    with change_context("test"):
        bulk_create_records(persons)
        bulk_create_records(names)
    wanted = {Person: [p.pk for p in persons], PersonName: [n.pk for n in names]}
    hidden = {uuid.UUID(int=32), uuid.UUID(int=34)}
    seen = {}
    for role, user in users.items():
        with one_reading():
            granted_case_ids(user)  # the request's grants, read before the panel asks
            with CaptureQueriesContext(connection) as captured:
                found = histories_visible(user, wanted)
            assert len(captured.captured_queries) == 1
            each = {model: history_visible(user, model, ids) for model, ids in wanted.items()}
        assert found == each
        seen[role] = found[Person] | found[PersonName]
    assert any(not hidden & ids for ids in seen.values())  # someone may not see it
    assert any(hidden <= ids for ids in seen.values())
    assert all(uuid.UUID(int=31) in ids for ids in seen.values())
    # A batch's thousands of ids: 500 a part, eight parts a statement, the same answer.
    many = [uuid.UUID(int=1000 + n) for n in range(4_600)] + wanted[Person]
    for user in users.values():
        with one_reading():
            granted_case_ids(user)
            with CaptureQueriesContext(connection) as captured:
                found = histories_visible(user, {Person: many})
            assert len(captured.captured_queries) == 2
            assert found[Person] == history_visible(user, Person, wanted[Person])


def test_a_record_is_checked_by_its_values_after_others_of_the_same_types_were_kept():
    # The kept check remembers the value types that need no check; a record of other types
    # (a decimal, a missing id) is still checked, before and after such records.
    kept = _kept_exactly(Act)
    plain = Act(id=uuid.uuid4(), description="Fictional", date=dt.date(2022, 1, 2))
    assert kept(plain) and kept(plain)
    assert not kept(Act(id=uuid.uuid4(), description="Fictional", sentence_months=Decimal("3")))
    assert kept(Act(id=uuid.uuid4(), description="Fictional", sentence_months=Decimal("3.0")))
    assert not kept(Act(id=None, description="Fictional", date=dt.date(2022, 1, 2)))
    assert not kept(Act(id=uuid.uuid4(), description=7, date=dt.date(2022, 1, 2)))
    assert kept(Act(id=uuid.uuid4(), description="Fictional", date=dt.date(2022, 1, 2)))
