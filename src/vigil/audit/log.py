"""Appending to the audit log: one serialised, hash-chained insert per event."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from vigil.audit.chain import GENESIS, entry_leaf
from vigil.audit.events import check_event, check_meta
from vigil.audit.merkle import frontier_append
from vigil.audit.models import AuditEntry, AuditHead
from vigil.core.context import current_context
from vigil.core.errors import MissingChangeContext

DEFAULT_CHECKPOINT_EVERY = 1000


def checkpoint_every() -> int:
    """Entries between automatic checkpoints (``AUDIT_CHECKPOINT_EVERY``; 0 turns them off)."""
    return int(getattr(settings, "AUDIT_CHECKPOINT_EVERY", DEFAULT_CHECKPOINT_EVERY))


def locked_head() -> AuditHead:
    """The head row, locked until the end of the transaction (created on first use)."""
    # On PostgreSQL the row lock serialises appenders; on SQLite select_for_update is a no-op
    # and BEGIN IMMEDIATE (transaction_mode) has already taken the database's write lock.
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        try:
            with transaction.atomic():
                AuditHead.objects.create(pk=1, size=0, head_hash=GENESIS, frontier=[])
        except IntegrityError:
            pass  # another appender created it first
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


def _context_kind_and_actor() -> tuple[str, Any]:
    try:
        ctx = current_context()
    except MissingChangeContext:
        return "", None
    return ctx.kind, ctx.actor


def _actor_id(actor: Any) -> str:
    if actor is None:
        return ""
    pk = getattr(actor, "pk", actor)
    return "" if pk is None else str(pk)


def _object_ref(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def audit(
    event: str, *, actor: Any = None, obj: models.Model | None = None, **meta: Any
) -> AuditEntry:
    """Append one entry: ``event`` by ``actor`` (default: the context's) on ``obj``.

    ``meta`` takes only allow-listed keys with short scalar values (see ``events.META_KEYS``).
    The entry is written in the caller's transaction when there is one, so it commits or
    rolls back with the change it records.
    """
    check_event(event)
    meta = check_meta(meta)
    context, context_actor = _context_kind_and_actor()
    actor_id = _actor_id(actor if actor is not None else context_actor)
    object_type, object_id = _object_ref(obj)
    with transaction.atomic():
        head = locked_head()
        entry = AuditEntry(
            seq=head.size + 1,
            at=timezone.now(),
            event=event,
            actor_id=actor_id,
            object_type=object_type,
            object_id=object_id,
            context=context,
            meta=meta,
            prev_hash=head.head_hash,
        )
        entry.entry_hash = entry.computed_hash()
        entry.save()
        head.frontier = [
            h.hex()
            for h in frontier_append(
                [bytes.fromhex(h) for h in head.frontier],
                head.size,
                entry_leaf(entry.entry_hash),
            )
        ]
        head.size = entry.seq
        head.head_hash = entry.entry_hash
        head.save(update_fields=["size", "head_hash", "frontier"])
        every = checkpoint_every()
        if every > 0 and entry.seq % every == 0:
            from vigil.audit.checkpoints import checkpoint_head

            checkpoint_head(head)
    return entry
