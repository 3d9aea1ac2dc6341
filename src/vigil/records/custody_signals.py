"""Keep stored custody current (``vigil.records.custody_store``) on every write that moves it.

An act's save (create, change, soft delete, restore, a merge re-pointing it) refreshes its
victim and the victim it had before; a save of the event, organisation or person an act hangs
from refreshes the victims of those acts (their confidentiality or deletion decides which
ceilings see the acts); a bulk insert of acts refreshes the victims it names.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models.signals import post_save

from vigil.core.history import bulk_created
from vigil.core.watched import before, changed, watch
from vigil.records.models import Act, Event, Organisation, Person

# Fields of a parent record whose change can change which ceilings see its acts.
_VISIBILITY = ("confidentiality", "deleted_at")


def _act_saved(sender: Any, instance: Act, raw: bool = False, **kw: Any) -> None:
    if raw:
        return
    from vigil.records.custody_store import refresh

    # The victim it had, read before the save (``vigil.core.watched``; None when created).
    refresh([instance.victim_person_id, before(instance, "victim_person_id")])


def _parent_saved(sender: Any, instance: Any, created: bool, raw: bool = False, **kw: Any) -> None:
    # Only a change of the parent's confidentiality or deletion moves which ceilings see its
    # acts (a save with ``update_fields`` naming neither, or writing the values they held).
    if raw or created or not changed(instance, _VISIBILITY, kw.get("update_fields")):
        return
    from vigil.records.custody_store import refresh

    if sender is Person:
        refresh([instance.pk])
        return
    field = "event" if sender is Event else "victim_organisation"
    acts = Act.all_objects.filter(**{field: instance.pk, "victim_person__isnull": False})
    refresh(acts.values_list("victim_person_id", flat=True).distinct())


def _bulk_created(sender: Any, objs: Iterable[Any], **kw: Any) -> None:
    if sender is Act:
        from vigil.records.custody_store import refresh

        refresh(obj.victim_person_id for obj in objs)


def connect() -> None:
    """Connect the signals (idempotent)."""
    watch(Act, ["victim_person_id"])
    for model in (Event, Organisation, Person):
        watch(model, _VISIBILITY)
    post_save.connect(_act_saved, sender=Act, dispatch_uid="vigil_custody_act_saved")
    for model in (Event, Organisation, Person):
        post_save.connect(
            _parent_saved, sender=model, dispatch_uid=f"vigil_custody_{model.__name__}_saved"
        )
    bulk_created.connect(_bulk_created, dispatch_uid="vigil_custody_bulk_created")
