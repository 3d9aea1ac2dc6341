"""Acts saved on watched records become notifications and outbox rows, in the same transaction.

Single saves send ``post_save`` (the forms, the API, re-imports that change an act); bulk
inserts (importers) send :data:`vigil.core.history.bulk_created`. Both run inside the
save's transaction, so a rolled-back import leaves no notification and nothing to send, and
no network call ever happens here: `vigil deliver` sends the outbox later.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save
from django.utils import timezone

from vigil.alerts.models import Channel, EventKind, Notification, Outbox, Watch, Webhook
from vigil.core.history import bulk_created
from vigil.records.models import Act

# The act's fields that point at a record a user may watch.
WATCHED_THROUGH = ("victim_person", "victim_organisation")


def acts_saved(acts: Sequence[Act], kind: str) -> int:
    """Notify the watchers of the victims of ``acts``; returns the notifications written."""
    by_target: dict[tuple[int, Any], list[Act]] = defaultdict(list)
    types = {}
    for name in WATCHED_THROUGH:
        model = Act._meta.get_field(name).related_model
        types[name] = ContentType.objects.get_for_model(model)
    for act in acts:
        for name in WATCHED_THROUGH:
            target_id = getattr(act, f"{name}_id")
            if target_id is not None:
                by_target[(types[name].pk, target_id)].append(act)
    if not by_target:
        return 0
    written = 0
    ids_by_type: dict[int, set[Any]] = defaultdict(set)
    for type_id, target_id in by_target:
        ids_by_type[type_id].add(target_id)
    for type_id, ids in ids_by_type.items():
        watches = Watch.objects.filter(target_type_id=type_id, target_id__in=list(ids))
        for watch in watches.select_related("user", "target_type"):
            for act in by_target[(type_id, watch.target_id)]:
                written += _notify(watch, act, kind)
    return written


def _notify(watch: Watch, act: Act, kind: str) -> int:
    """One notification for the watcher and its outbox rows; nothing twice for one act version."""
    user = watch.user
    if not user.is_active:
        return 0
    base = f"{kind}:{act.pk}:v{act.version}:{user.pk}"
    seen = Notification.objects.filter(
        recipient=user, subject_id=act.pk, subject_version=act.version
    )
    if seen.exists():
        return 0
    notification = Notification.objects.create(
        recipient=user,
        kind=kind,
        target_type=watch.target_type,
        target_id=watch.target_id,
        subject_id=act.pk,
        subject_version=act.version,
    )
    payload = {
        "event": kind,
        "record_type": watch.target_type.model,
        "record_id": str(watch.target_id),
        "act_id": str(act.pk),
        "occurred_at": timezone.now().isoformat(),
    }
    now = timezone.now()
    rows = []
    if user.email:
        rows.append(
            Outbox(
                channel=Channel.EMAIL,
                recipient=user,
                notification=notification,
                payload=payload,
                dedup_key=f"{base}:email",
                due_at=now,
            )
        )
    for hook in Webhook.objects.filter(owner=user, active=True):
        if hook.wants(kind):
            rows.append(
                Outbox(
                    channel=Channel.WEBHOOK,
                    recipient=user,
                    webhook=hook,
                    notification=notification,
                    payload=payload,
                    dedup_key=f"{base}:webhook:{hook.pk}",
                    due_at=now,
                )
            )
    Outbox.objects.bulk_create(rows)
    return 1


def _act_saved(sender: Any, instance: Act, created: bool, raw: bool = False, **kw: Any) -> None:
    if raw or instance.deleted_at is not None:
        return
    acts_saved([instance], EventKind.ACT_CREATED if created else EventKind.ACT_CHANGED)


def _acts_bulk_created(sender: Any, objs: Iterable[Any], **kw: Any) -> None:
    if sender is Act:
        acts_saved(list(objs), EventKind.ACT_CREATED)


def connect() -> None:
    """Connect the act signals (idempotent)."""
    post_save.connect(_act_saved, sender=Act, dispatch_uid="vigil_alerts_act_saved")
    bulk_created.connect(_acts_bulk_created, dispatch_uid="vigil_alerts_acts_bulk_created")
