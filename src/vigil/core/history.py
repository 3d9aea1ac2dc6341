"""Version history: snapshots of records, single and bulk writes with identical history."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from vigil.core.context import ChangeContext, current_context
from vigil.core.models import Action, Version, VigilModel

BOOKKEEPING = {"version", "updated_at", "updated_by_id"}


def model_label(model: type[models.Model] | models.Model) -> str:
    """The stable name of a model in the history ("records.person")."""
    return model._meta.label_lower


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The record's own field values (attnames), as stored in the history."""
    data: dict[str, Any] = {}
    exclude = getattr(obj, "history_exclude", ())
    for f in obj._meta.concrete_fields:
        if f.attname in exclude:
            continue
        if getattr(f, "encrypted", False):
            # The history never holds an encrypted field's plaintext (nor its ciphertext).
            data[f.attname] = "[encrypted]"
            continue
        value = getattr(obj, f.attname)
        data[f.attname] = str(value) if isinstance(value, uuid.UUID) else value
    return data


def _normalised(snap: dict[str, Any]) -> dict[str, Any]:
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    return json.loads(json.dumps(snap, cls=DjangoJSONEncoder))


def _changed(obj: models.Model, snap: dict[str, Any], previous: dict[str, Any] | None) -> list[str]:
    if previous is None:
        return []
    now = _normalised(snap)
    return sorted(k for k, v in now.items() if previous.get(k) != v and k not in BOOKKEEPING)


def record_version(obj: VigilModel, action: str, ctx: ChangeContext | None = None) -> Version:
    """Append the version row for ``obj`` as just saved."""
    ctx = ctx or current_context()
    snap = snapshot(obj)
    previous = None
    if obj.version > 1:
        prev = (
            Version.objects.filter(model=model_label(obj), object_id=obj.pk)
            .order_by("-version")
            .values_list("snapshot", flat=True)
            .first()
        )
        previous = prev
    return Version.objects.create(
        model=model_label(obj),
        object_id=obj.pk,
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


def prepare_new(obj: VigilModel, ctx: ChangeContext, now: Any) -> None:
    """Set the bookkeeping fields a first save would set."""
    obj.version = 1
    obj.created_at = obj.created_at or now
    obj.updated_at = now
    obj.created_by_id = obj.created_by_id or ctx.actor_id
    obj.updated_by_id = ctx.actor_id


def bulk_create_records(
    objs: Sequence[VigilModel], *, batch_size: int = 500, ctx: ChangeContext | None = None
) -> list[VigilModel]:
    """Insert new records and their first version rows, as single saves would.

    The caller owns the transaction (imports wrap a whole batch).
    """
    if not objs:
        return []
    ctx = ctx or current_context()
    now = timezone.now()
    model = type(objs[0])
    for obj in objs:
        prepare_new(obj, ctx, now)
    with transaction.atomic():
        model.all_objects.bulk_create(objs, batch_size=batch_size)
        Version.objects.bulk_create(
            (_version_row(o, Action.CREATE, ctx, now) for o in objs), batch_size=batch_size
        )
    for obj in objs:
        obj._state.adding = False
    return list(objs)


def _version_row(obj: VigilModel, action: str, ctx: ChangeContext, now: Any) -> Version:
    return Version(
        model=model_label(obj),
        object_id=obj.pk,
        version=obj.version,
        action=action,
        at=now,
        context_id=ctx.id,
        context_kind=ctx.kind,
        context_detail=ctx.detail,
        actor_id=ctx.actor_id,
        snapshot=snapshot(obj),
        changed=[],
    )


def history_of(obj: models.Model) -> models.QuerySet[Version]:
    """The versions of one record, oldest first."""
    return Version.objects.filter(model=model_label(obj), object_id=obj.pk).order_by("version")


def history_for(objs: Iterable[models.Model]) -> models.QuerySet[Version]:
    """The versions of several records of mixed types, newest first."""
    ids = [o.pk for o in objs]
    return Version.objects.filter(object_id__in=ids).order_by("-at", "-id")
