"""A single save's version row is the row ``Version.objects.create`` wrote, column for column
(issue 14 §1: ``record_version`` inserts it with one prepared statement and reads the previous
snapshot through a compiled one)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from vigil.core import history
from vigil.core.context import change_context, current_context
from vigil.core.history import _changed, model_label, snapshot
from vigil.core.models import Version
from vigil.records.models import Act, Event, Person, Term

pytestmark = pytest.mark.django_db

_FIELDS = (
    "model",
    "version",
    "action",
    "at",
    "context_id",
    "context_kind",
    "context_detail",
    "actor_id",
    "snapshot",
    "changed",
)


def _raw(pk: int) -> tuple[Any, ...]:
    """The stored columns of a version row as the database holds them (no ORM conversion)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Version._meta.get_field(f).column) for f in (*_FIELDS, "xact"))
    table = quote(Version._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE id = %s", [pk])  # noqa: S608  # nosec B608
        return tuple(cursor.fetchone())


_NAMESPACE = uuid.UUID("6f1c1d2e-0000-4000-8000-000000000014")


def _reference_row(obj: Any, action: str, ctx: Any) -> Version:
    """The row as ``record_version`` wrote it through the ORM before issue 14 §1's change,
    for a stand-in object id (so both rows can be stored side by side)."""
    snap = snapshot(obj)
    label = model_label(obj)
    stand_in = uuid.uuid5(_NAMESPACE, str(obj.pk))
    previous = None
    if obj.version > 1:
        previous = (
            Version.objects.filter(model=label, object_id=stand_in)
            .order_by("-version")
            .values_list("snapshot", flat=True)
            .first()
        )
    return Version.objects.create(
        model=label,
        object_id=stand_in,
        version=obj.version,
        action=action,
        at=obj.updated_at or timezone.now(),
        context_id=ctx.id,
        context_kind=ctx.kind,
        context_detail=ctx.detail,
        actor_id=ctx.actor_id,
        snapshot=snap,
        changed=_changed(obj, snap, previous),
    )


def test_each_saved_version_row_is_the_row_the_orm_wrote(admin_user, monkeypatch) -> None:
    compared: list[str] = []
    real = history.record_version

    def checked(obj: Any, action: str, ctx: Any = None) -> None:
        ctx = ctx or current_context()
        real(obj, action, ctx)
        row = Version.objects.get(model=model_label(obj), object_id=obj.pk, version=obj.version)
        assert _raw(row.pk) == _raw(_reference_row(obj, action, ctx).pk), (row, action)
        compared.append(action)

    monkeypatch.setattr(history, "record_version", checked)
    with change_context("test", actor=admin_user, detail="version rows «ü»"):
        person = Person.objects.create(display_name="Ales Fictiuk", birth_date=dt.date(1980, 2, 3))
        person.display_name = "Alies Fictiuk"
        person.notes = 'A note with a quote " and Кірыліца'
        person.save()
        person.save()  # nothing changed
        person.soft_delete("a fictional duplicate")
        person.restore()
        event = Event.objects.create(title="Fictional events", date=dt.date(2024, 1, 1))
        act = Act.objects.create(
            event=event,
            act_type_id=Term.pk_for("act_type", "sentence"),
            victim_person=person,
            date=dt.date(2024, 1, 2),
            sentence_months=36,
        )
        act.sentence_months = Decimal("24.5")
        act.save()
    assert compared == ["create", "update", "update", "delete", "restore", "create", "create"] + [
        "update"
    ]
