"""Acts saved on watched records become notifications and outbox rows, in the same transaction.

Single saves send ``post_save`` (the forms, the API, re-imports that change an act); bulk
inserts (importers) send :data:`vigil.core.history.bulk_created`. Both run inside the
save's transaction, so a rolled-back import leaves no notification and nothing to send, and
no network call ever happens here: `vigil deliver` sends the outbox later.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, cast

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.db.models.signals import post_save
from django.utils import timezone

from vigil.alerts.digest import cadence_of
from vigil.alerts.models import (
    ACT_CHANGED,
    ACT_CREATED,
    PERPETRATOR_INVOLVED,
    RESPONSE_RECEIVED,
    RISK_THRESHOLD,
    Cadence,
    Channel,
    Notification,
    Outbox,
    Watch,
    Webhook,
)
from vigil.core.chunks import chunked
from vigil.core.history import bulk_created
from vigil.records.models import Act, Case, Involvement

# The act's fields that point at a record a user may watch.
WATCHED_THROUGH = ("victim_person", "victim_organisation")
# An involvement's fields naming a perpetrator a user may watch.
PERPETRATOR_FIELDS = ("perpetrator_person", "perpetrator_organisation")
CHUNK = 900


def _related(model: type[Model], name: str) -> type[Model]:
    """The model a foreign key of ``model`` points to."""
    return cast("type[Model]", model._meta.get_field(name).related_model)


def acts_saved(acts: Sequence[Act], kind: str) -> int:
    """Notify the watchers of the victims and cases of ``acts``; the notifications written."""
    if not acts or not Watch.objects.exists():  # imports pay one query when nobody watches
        return 0
    targets: list[tuple[int, Any, Any]] = []
    for name in WATCHED_THROUGH:
        ct = ContentType.objects.get_for_model(_related(Act, name))
        targets += [(ct.pk, getattr(a, f"{name}_id"), a) for a in acts if getattr(a, f"{name}_id")]
    case_ct = ContentType.objects.get_for_model(Case)
    if Watch.objects.filter(target_type=case_ct).exists():
        by_event: dict[Any, list[Act]] = defaultdict(list)
        for act in acts:
            by_event[act.event_id].append(act)
        events = list(by_event)
        for chunk in chunked(events, CHUNK):
            links = Case.events.through.objects.filter(event_id__in=chunk)
            for case_id, event_id in links.values_list("case_id", "event_id"):
                targets += [(case_ct.pk, case_id, a) for a in by_event[event_id]]
    return _notify_watchers(targets, kind)


def involvements_saved(involvements: Sequence[Involvement]) -> int:
    """Notify the watchers of a perpetrator newly linked to an act."""
    if not involvements or not Watch.objects.exists():
        return 0
    targets: list[tuple[int, Any, Any]] = []
    for name in PERPETRATOR_FIELDS:
        ct = ContentType.objects.get_for_model(_related(Involvement, name))
        targets += [
            (ct.pk, getattr(i, f"{name}_id"), i) for i in involvements if getattr(i, f"{name}_id")
        ]
    return _notify_watchers(targets, PERPETRATOR_INVOLVED)


def risk_threshold_crossed(person_ids: Sequence[Any], key: str) -> int:
    """Notify the watchers of persons whose risk score crossed the alert threshold.

    Only watchers whose role may see risk scores and who may view the person are told; the
    notification and its outbox rows say that the threshold was crossed, never the score, the
    reasons or a name. ``key`` (the fit) makes each crossing one notification per watcher.
    """
    from vigil.policy.access import may_see_risk, restrict
    from vigil.records.models import Person

    if not person_ids:
        return 0
    ct = ContentType.objects.get_for_model(Person)
    written = 0
    ids = [str(p) for p in person_ids]
    for chunk in chunked(ids, CHUNK):
        watches = Watch.objects.filter(target_type=ct, target_id__in=chunk)
        for w in watches.select_related("user", "target_type"):
            if not may_see_risk(w.user):
                continue
            if not restrict(w.user, "view", Person.objects.filter(pk=w.target_id)).exists():
                continue
            written += notify(w, RISK_THRESHOLD, f"{RISK_THRESHOLD}:{key}:{w.target_id}", None, {})
    return written


def watches_for(
    person_ids: Iterable[Any], case_ids: Iterable[Any], organisation_ids: Iterable[Any] = ()
) -> list[Watch]:
    """The watches of any of these persons, cases and organisations (with users)."""
    from django.db.models import Q

    from vigil.records.models import Organisation, Person

    condition = Q(pk__in=[])
    wanted = False
    for model, ids in ((Person, person_ids), (Case, case_ids), (Organisation, organisation_ids)):
        ids = [str(i) for i in ids]
        if ids:
            ct = ContentType.objects.get_for_model(model)
            condition |= Q(target_type=ct, target_id__in=ids)
            wanted = True
    if not wanted:
        return []
    return list(Watch.objects.filter(condition).select_related("user", "target_type"))


def _notify_watchers(targets: list[tuple[int, Any, Any]], kind: str) -> int:
    """One notification per watcher of each (type, id) for its changed record."""
    by_target: dict[tuple[int, Any], list[Any]] = defaultdict(list)
    for type_id, target_id, subject in targets:
        by_target[(type_id, target_id)].append(subject)
    ids_by_type: dict[int, list[Any]] = defaultdict(list)
    for type_id, target_id in by_target:
        ids_by_type[type_id].append(target_id)
    written = 0
    for type_id, ids in ids_by_type.items():
        for chunk in chunked(ids, CHUNK):
            watches = Watch.objects.filter(target_type_id=type_id, target_id__in=chunk)
            for watch in watches.select_related("user", "target_type"):
                for subject in by_target[(type_id, watch.target_id)]:
                    written += _notify(watch, subject, kind)
    return written


def _notify(watch: Watch, act: Act | Involvement, kind: str) -> int:
    """Notify the watcher of this version of an act or a perpetrator link."""
    payload = {"act_id": str(act.act_id if isinstance(act, Involvement) else act.pk)}
    if isinstance(act, Involvement):
        payload["involvement_id"] = str(act.pk)
    return notify(watch, kind, f"{kind}:{act.pk}:v{act.version}", act.pk, payload)


def notify(watch: Watch, kind: str, key: str, subject_id: Any, extra: dict[str, str]) -> int:
    """One notification for the watcher and its outbox rows; nothing twice for one ``key``.

    The payload holds the event kind, the watched record's type and id and the ids in
    ``extra``; what a message says is decided at delivery (see :mod:`vigil.alerts.messages`).
    """
    user = watch.user
    if not user.is_active:
        return 0
    base = f"{key}:{user.pk}"
    if Notification.objects.filter(dedup_key=base).exists():
        return 0
    try:
        # A savepoint: when another process (a second `vigil worker` queueing the same term
        # reminder on another host) wrote this key first, its row wins and this one is dropped
        # without undoing the caller's transaction.
        with transaction.atomic():
            _write(watch, kind, base, subject_id, extra)
    except IntegrityError:
        if Notification.objects.filter(dedup_key=base).exists():
            return 0
        raise
    return 1


def _write(watch: Watch, kind: str, base: str, subject_id: Any, extra: dict[str, str]) -> None:
    user = watch.user
    notification = Notification.objects.create(
        recipient=user,
        kind=kind,
        target_type=watch.target_type,
        target_id=watch.target_id,
        subject_id=subject_id,
        dedup_key=base,
    )
    payload = {
        "event": kind,
        "record_type": watch.target_type.model,
        "record_id": str(watch.target_id),
        **extra,
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
                held=cadence_of(user) == Cadence.DAILY,  # waits for the daily digest
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


def _act_saved(sender: Any, instance: Act, created: bool, raw: bool = False, **kw: Any) -> None:
    if raw or instance.deleted_at is not None:
        return
    acts_saved([instance], ACT_CREATED if created else ACT_CHANGED)


def _involvement_saved(
    sender: Any, instance: Involvement, created: bool, raw: bool = False, **kw: Any
) -> None:
    if created and not raw:
        involvements_saved([instance])


def _state_response_saved(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kw: Any
) -> None:
    if not created or raw or instance.deleted_at is not None:
        return
    from vigil.alerts.reminders import notify_intervention_watchers
    from vigil.responses.interventions import NON_RESPONSES

    if instance.response.key in NON_RESPONSES:  # "no response" recorded: nothing received
        return

    notify_intervention_watchers(
        instance.intervention_id,
        RESPONSE_RECEIVED,
        f"{RESPONSE_RECEIVED}:{instance.pk}",
        instance.pk,
        {"intervention_id": str(instance.intervention_id), "response_id": str(instance.pk)},
    )


def _bulk_created(sender: Any, objs: Iterable[Any], **kw: Any) -> None:
    if sender is Act:
        acts_saved(list(objs), ACT_CREATED)
    elif sender is Involvement:
        involvements_saved(list(objs))


def connect() -> None:
    """Connect the act signals (idempotent)."""
    post_save.connect(_act_saved, sender=Act, dispatch_uid="vigil_alerts_act_saved")
    post_save.connect(
        _involvement_saved, sender=Involvement, dispatch_uid="vigil_alerts_involvement_saved"
    )
    bulk_created.connect(_bulk_created, dispatch_uid="vigil_alerts_bulk_created")
    post_save.connect(
        _state_response_saved,
        sender="responses.StateResponse",
        dispatch_uid="vigil_alerts_state_response_saved",
    )
