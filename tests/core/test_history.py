import datetime as dt
import uuid

import pytest
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vigil.core.context import change_context, without_context
from vigil.core.errors import (
    ConflictError,
    HardDeleteRefused,
    MissingChangeContext,
    ValidationFailed,
)
from vigil.core.history import (
    all_versions,
    bulk_create_records,
    history_of,
    stored_history_of,
)
from vigil.core.models import Version
from vigil.records.models import Person

pytestmark = pytest.mark.django_db


def test_save_without_context_raises_and_writes_nothing():
    with without_context(), pytest.raises(MissingChangeContext):
        Person(display_name="Fictional Ivanka Tsvirko").save()
    assert Person.all_objects.count() == 0
    assert Version.objects.count() == 0


def test_create_writes_version_one_under_the_context():
    with change_context("cli", detail="vigil test-command") as ctx:
        person = Person.objects.create(display_name="Fictional Ivanka Tsvirko")
    assert person.version == 1
    [version] = history_of(person)
    assert (version.version, version.action, version.context_kind) == (1, "create", "cli")
    assert version.context_id == ctx.id
    assert version.snapshot["display_name"] == "Fictional Ivanka Tsvirko"


def test_update_increments_version_and_names_changed_fields():
    with change_context("test"):
        person = Person.objects.create(display_name="Fictional Ivanka Tsvirko")
        person.notes = "moved to another city"
        person.save()
    assert person.version == 2
    latest = history_of(person).last()
    assert latest.action == "update"
    assert latest.changed == ["notes"]


def test_stale_save_raises_conflict_instead_of_overwriting():
    with change_context("test"):
        person = Person.objects.create(display_name="Fictional Ivanka Tsvirko")
        first = Person.objects.get(pk=person.pk)
        second = Person.objects.get(pk=person.pk)
        first.notes = "first writer"
        first.save()
        second.notes = "second writer"
        with pytest.raises(ConflictError):
            second.save()
    assert Person.objects.get(pk=person.pk).notes == "first writer"
    assert second.version == 1  # the failed save leaves the stale copy as it was


def test_soft_delete_hides_the_record_and_keeps_its_history():
    with change_context("test"):
        person = Person.objects.create(display_name="Fictional Ivanka Tsvirko")
        person.soft_delete("entered twice by mistake")
    assert not Person.objects.filter(pk=person.pk).exists()
    kept = Person.all_objects.get(pk=person.pk)
    assert kept.deletion_reason == "entered twice by mistake"
    assert [v.action for v in history_of(person)] == ["create", "delete"]


def test_soft_delete_needs_a_reason():
    with change_context("test"):
        person = Person.objects.create(display_name="Fictional Ivanka Tsvirko")
        with pytest.raises(ValidationFailed):
            person.soft_delete("  ")


def test_restore_brings_a_deleted_record_back_with_a_version():
    with change_context("test"):
        person = Person.objects.create(display_name="Fictional Ivanka Tsvirko")
        person.soft_delete("mistake")
        person.restore()
    assert Person.objects.filter(pk=person.pk).exists()
    assert [v.action for v in history_of(person)] == ["create", "delete", "restore"]


def test_hard_delete_is_refused_for_records_querysets_and_history():
    with change_context("test"):
        person = Person.objects.create(display_name="Fictional Ivanka Tsvirko")
    with pytest.raises(HardDeleteRefused):
        person.delete()
    with pytest.raises(HardDeleteRefused):
        Person.objects.all().delete()
    with pytest.raises(HardDeleteRefused):
        history_of(person).first().delete()
    assert Person.objects.filter(pk=person.pk).exists()


def test_bulk_create_writes_the_same_history_as_single_saves():
    with change_context("test") as ctx:
        single = Person.objects.create(display_name="Fictional Ales Kvitka", notes="n")
        bulk = Person(display_name="Fictional Ales Kvitka", notes="n")
        bulk_create_records([bulk], ctx=ctx)
    one, two = history_of(single).get(), history_of(bulk).get()
    ignore = {"id", "created_at", "updated_at"}
    assert {k: v for k, v in one.snapshot.items() if k not in ignore} == {
        k: v for k, v in two.snapshot.items() if k not in ignore
    }
    for field in ("version", "action", "context_kind", "context_id", "changed"):
        assert getattr(one, field) == getattr(two, field)
    assert bulk.version == 1 and Person.objects.get(pk=bulk.pk).version == 1


def test_context_kind_must_be_known():
    with pytest.raises(ValueError):
        with change_context("telepathy"):
            pass


def test_web_requests_run_in_a_web_context(client, django_user_model):
    # The middleware gives every request a context: a save made by a view is attributed.
    from vigil.web.middleware import ChangeContextMiddleware

    seen = {}

    def view(request):
        from vigil.core.context import current_context

        seen["kind"] = current_context().kind
        from django.http import HttpResponse

        return HttpResponse("ok")

    from django.test import RequestFactory

    request = RequestFactory().get("/")
    ChangeContextMiddleware(view)(request)
    assert seen["kind"] == "web"
    assert connection.vendor in {"sqlite", "postgresql"}


# --- the bulk path writes exactly what single saves write ----------------------------------

FROZEN = dt.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=dt.UTC)


def _fictional_viasna_row(**overrides: str) -> dict[str, str]:
    from vigil.importers.viasna import COLUMNS

    row = dict.fromkeys(COLUMNS, "")
    row.update(
        id="900001",
        url="https://example.org/person/fictional-ivanka-tsvirko",
        name="Ivanka Tsvirko",
        status="active",
        gender="female",
        birthday="1990-01-02",
        arrested="2021-03-04",
        articles="Part 2 of Art. 342 of the Criminal Code — Fictional title | "
        "Art. 130 of the Criminal Code — Fictional incitement",
        prison_title="Penal colony No. 904",
        decision="2 1/2 years",
        penalty="imprisonment in a general-security penal colony",
        judge="Fictionaly Zmitrok, Kvitka",
        counsel="Ales Fictionau, Fictionava",
        verdict_date="2021-09-01",
        release_date="2023-01-02",
        description="fictional test person, «quoted» ünïcode",
    )
    row.update(overrides)
    return row


def _planned(row: dict[str, str]) -> list:
    from vigil.importers.viasna import _Plan, plan_row
    from vigil.names.given_names import is_given_name

    plan = _Plan()
    plan_row(plan, row, is_given_name)
    plan.end_row(keep=True)
    return plan.take()


def _rows(models) -> dict[str, list[tuple]]:
    """Every column of every version row (but its serial id) and of every record row."""
    tables = {m._meta.db_table: m for m in models}
    found = {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Version._meta.db_table} ORDER BY model, object_id")  # noqa: S608
        names = [c[0] for c in cursor.description]
        found["version"] = [
            tuple(v for n, v in zip(names, row, strict=True) if n != "id")
            for row in cursor.fetchall()
        ]
        for table in tables:
            cursor.execute(f"SELECT * FROM {table} ORDER BY id")  # noqa: S608
            found[table] = cursor.fetchall()
    return found


class _Rollback(Exception):
    pass


def _written(write, models) -> dict[str, list[tuple]]:
    try:
        with transaction.atomic():
            write()
            found = _rows(models)
            raise _Rollback
    except _Rollback:
        return found


def _single_saves(objs) -> None:
    for obj in objs:
        obj.save()


def _bulk(objs) -> None:
    by_model: dict[type, list] = {}
    for obj in objs:
        by_model.setdefault(type(obj), []).append(obj)
    for group in by_model.values():
        bulk_create_records(group)
    # A bulk write stores one batch row; every reader sees the versions 1 it holds. Written out
    # here as the rows they stand for (what keep_first_version writes before a first change),
    # so that the comparison below is of every column, raw, as the database holds it.
    for version in list(all_versions()):
        if version.pk is None:
            version.save()


def test_bulk_create_writes_every_column_as_single_saves_for_every_imported_model(monkeypatch):
    from vigil.importers.viasna import WRITE_ORDER

    monkeypatch.setattr(timezone, "now", lambda: FROZEN)
    row = _fictional_viasna_row()
    with change_context("cli", detail="vigil import viasna"):
        single = _written(lambda: _single_saves(_planned(row)), WRITE_ORDER)
        bulk = _written(lambda: _bulk(_planned(row)), WRITE_ORDER)
    assert {type(o) for o in _planned(row)} == set(WRITE_ORDER)
    assert len(single["version"]) == len(_planned(row)) > len(WRITE_ORDER)
    assert bulk == single


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40),
    notes=st.text(max_size=60).filter(lambda t: "\x00" not in t),
    birth=st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2030, 1, 1)),
    withheld=st.booleans(),
)
def test_bulk_and_single_history_agree_for_any_person_values(
    monkeypatch, name, notes, birth, withheld
):
    monkeypatch.setattr(timezone, "now", lambda: FROZEN)

    def person() -> list[Person]:
        fixed = uuid.UUID("6f1c3d4e-0000-4000-8000-000000000001")
        return [
            Person(
                id=fixed, display_name=name, notes=notes, birth_date=birth, name_withheld=withheld
            )
        ]

    with change_context("test", detail="property"):
        single = _written(lambda: _single_saves(person()), [Person])
        bulk = _written(lambda: _bulk(person()), [Person])
    assert bulk == single


def _uses_an_index(queryset: object) -> bool:
    sql, params = queryset.query.sql_with_params()  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    return "USING INDEX" in plan and "SCAN" not in plan.replace("SCAN CONSTANT", "")


def test_the_version_table_keeps_one_index_by_record_and_reads_histories_with_it():
    with change_context("cli", detail="vigil test-command"):
        person = Person.objects.create(display_name="Fictional Ivanka Tsvirko")
    with connection.cursor() as cursor:
        indexed = connection.introspection.get_constraints(cursor, Version._meta.db_table)
    columns = {tuple(c["columns"]) for c in indexed.values() if c["index"] or c["unique"]}
    assert ("object_id", "model", "version") in columns
    # Each further index on a random object_id is one more random insert per imported record.
    assert ("model",) not in columns and ("object_id",) not in columns
    if connection.vendor == "sqlite":
        assert _uses_an_index(stored_history_of(person))
        assert _uses_an_index(Version.objects.filter(object_id__in=[person.pk]).order_by())
