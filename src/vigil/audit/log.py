"""Appending to the audit log: one serialised, hash-chained insert per event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from vigil.audit.anchors import ANCHORED_EVENTS, anchor_head
from vigil.audit.chain import GENESIS, entry_leaf
from vigil.audit.events import check_event, check_meta
from vigil.audit.merkle import frontier_append
from vigil.audit.models import AuditEntry, AuditHead
from vigil.audit.signing import seal
from vigil.core.context import current_context
from vigil.core.errors import MissingChangeContext

DEFAULT_CHECKPOINT_EVERY = 1000
DEFAULT_CHECKPOINT_MINUTES = 10

# Entries this process has appended (committed or not): commands and the server sign a
# checkpoint at a clean exit when it grew (see vigil.audit.shutdown).
_appended = 0


def appended_in_process() -> int:
    """How many entries this process has appended so far."""
    return _appended


def now() -> dt.datetime:
    """The time an entry is written (a seam: tests freeze it by monkeypatching)."""
    return timezone.now()


def checkpoint_every() -> int:
    """Entries between automatic checkpoints (``AUDIT_CHECKPOINT_EVERY``; 0 turns them off)."""
    return int(getattr(settings, "AUDIT_CHECKPOINT_EVERY", DEFAULT_CHECKPOINT_EVERY))


def checkpoint_minutes() -> float:
    """Longest activity between checkpoints (``AUDIT_CHECKPOINT_MINUTES``; 0 turns it off)."""
    return float(getattr(settings, "AUDIT_CHECKPOINT_MINUTES", DEFAULT_CHECKPOINT_MINUTES))


def checkpoint_due(seq: int, at: dt.datetime, since: dt.datetime | None) -> bool:
    """Whether appending entry ``seq`` at ``at`` should sign a checkpoint.

    Every ``checkpoint_every()`` entries, and when ``since`` (the last checkpoint's time, or
    the time the clock started: the first entry, or the first after an upgrade) is older than
    ``checkpoint_minutes()``: a quiet log is not signed again and again, a busy one never
    leaves more than N minutes of entries unanchored. Read from the locked head: no query.
    """
    every = checkpoint_every()
    if every > 0 and seq % every == 0:
        return True
    minutes = checkpoint_minutes()
    return minutes > 0 and since is not None and at - since >= dt.timedelta(minutes=minutes)


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
    rolls back with the change it records. Export and backup entries also carry the signed
    anchor of the head before them (``meta["anchor"]``); a checkpoint is signed when one is
    due (:func:`checkpoint_due`).
    """
    global _appended
    check_event(event)
    meta = check_meta(meta)
    context, context_actor = _context_kind_and_actor()
    actor_id = _actor_id(actor if actor is not None else context_actor)
    object_type, object_id = _object_ref(obj)
    with transaction.atomic():
        head = locked_head()
        at = now()
        if event in ANCHORED_EVENTS:
            meta["anchor"] = anchor_head(head.size, head.head_hash, at).as_dict()
        entry = AuditEntry(
            seq=head.size + 1,
            at=at,
            event=event,
            actor_id=actor_id,
            object_type=object_type,
            object_id=object_id,
            context=context,
            meta=meta,
            prev_hash=head.head_hash,
        )
        entry.entry_hash = entry.computed_hash()
        entry.seal = seal(entry.entry_hash)
        entry.save()
        head.frontier = [
            h.hex()
            for h in frontier_append(
                [bytes.fromhex(h) for h in head.frontier],
                head.size,
                entry_leaf(entry.entry_hash),
            )
        ]
        due = checkpoint_due(entry.seq, at, head.checkpoint_at)
        head.size = entry.seq
        head.head_hash = entry.entry_hash
        if due or head.checkpoint_at is None:
            head.checkpoint_at = at
        head.save(update_fields=["size", "head_hash", "frontier", "checkpoint_at"])
        if due:
            from vigil.audit.checkpoints import checkpoint_head

            checkpoint_head(head, at)
    _appended += 1
    return entry
