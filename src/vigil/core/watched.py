"""What one save changed in the columns its receivers watch, read once before it writes.

A receiver of ``post_save`` that keeps something derived current (the search index, stored
custody) only has work when a column it reads changed. :func:`watch` registers the columns
of a model; before a single save that updates a row (not one that creates it) one read by key
— a statement compiled once per model and database (:class:`vigil.core.statements.Statement`)
— takes the row as stored, and :func:`changed` says whether the save writes a different value
into one of the columns a receiver names. A created row, a raw save, or a row not found
counts as changed everywhere, so a receiver never skips work it used to do on anything but a
save that wrote the very values the row already held. The read is in the save's transaction
(``VigilModel.save`` opens it before ``pre_save``); on PostgreSQL it takes the row lock the
UPDATE takes (``FOR NO KEY UPDATE``), so nothing changes the row between the read and the
write, and foreign-key checks of other transactions on it go on as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connections, router
from django.db.models import Field, Model
from django.db.models.signals import pre_save

from vigil.core.statements import Statement

#: Per concrete model: the watched columns (attnames), in a fixed order.
_WATCHED: dict[type[Model], tuple[str, ...]] = {}
_READS: dict[tuple[type[Model], bool], Statement] = {}
_BEFORE = "_watched_before"


def watch(model: type[Model], attnames: Iterable[str]) -> None:
    """Read these columns of ``model`` before each single save that updates a row."""
    model = model._meta.concrete_model or model
    known = set(_WATCHED.get(model, ()))
    for name in attnames:
        field = model._meta.get_field(name)  # an unknown column is an error now, not a skip
        if not isinstance(field, Field):
            raise TypeError(f"{model.__name__}.{name} is not a column")
        known.add(str(field.attname))
    _WATCHED[model] = tuple(sorted(known))
    for key in [k for k in _READS if k[0] is model]:
        del _READS[key]
    pre_save.connect(_before, sender=model, dispatch_uid=f"vigil_watched_{model._meta.label}")


def _read(model: type[Model], alias: str) -> Statement:
    locking = connections[alias].features.has_select_for_update
    found = _READS.get((model, locking))
    if found is None:
        columns = _WATCHED[model]

        def build(pk: Any) -> Any:
            rows = model._base_manager.filter(pk=pk).order_by().values_list(*columns)
            # FOR NO KEY UPDATE: the lock the UPDATE takes anyway, taken a moment earlier. Not
            # FOR UPDATE: that also blocks other transactions' foreign-key checks on the row
            # (a rebuild writing index rows that point at the person deadlocked with a save).
            return rows.select_for_update(no_key=True) if locking else rows

        found = _READS[(model, locking)] = Statement(model, [model._meta.pk], build)
    return found


def _before(sender: Any, instance: Model, raw: bool = False, **kw: Any) -> None:
    model = sender._meta.concrete_model or sender
    stored = None
    if not raw and not instance._state.adding and instance.pk is not None and model in _WATCHED:
        # The database the save writes to (the primary, with a replica configured: a locking
        # read, and the values as the write will find them, never a standby's).
        alias = kw.get("using") or router.db_for_write(model, instance=instance) or "default"
        rows = _read(model, alias).rows(instance.pk, using=alias)
        if rows:
            stored = dict(zip(_WATCHED[model], rows[0], strict=True))
    instance.__dict__[_BEFORE] = stored


def before(instance: Model, attname: str) -> Any:
    """The value column ``attname`` held before this save (None: created, or not read)."""
    stored = instance.__dict__.get(_BEFORE)
    return None if stored is None else stored.get(attname)


def changed(
    instance: Model, attnames: Iterable[str], update_fields: Iterable[str] | None = None
) -> bool:
    """Whether the save just made wrote a new value into one of these watched columns (True
    when the row was created, the save was raw, or the row was not read before)."""
    stored = instance.__dict__.get(_BEFORE)
    if stored is None:
        return True
    names = set(attnames)
    if update_fields is not None:
        written = set(update_fields)
        names = {
            a
            for a in names
            if a in written or instance._meta.get_field(a).name in written
        }
    for name in names:
        if name not in stored:
            return True  # not watched for this model: assume it changed
        if getattr(instance, name) != stored[name]:
            return True
    return False
