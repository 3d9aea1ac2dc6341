"""`vigil deliver`: claim due outbox rows, check visibility now, send, mark sent; retry later.

A row is claimed with a lease before anything is sent (``SELECT … FOR UPDATE SKIP LOCKED`` on
PostgreSQL; SQLite's IMMEDIATE transaction holds the write lock), so two runs never take the
same row. Just before each send the run renews its claim, and only while it still holds it: a
row whose lease ran out while earlier rows of the batch were being sent may already belong to
another run (on another host) and is left to it. It is marked sent only after the server
accepted it, and only by the run that holds the claim. A run that dies mid-batch leaves its
unsent rows claimed until the lease expires, then another run takes them; a crash between the
server's acceptance and the mark can repeat that one message, which carries the same
``X-Vigil-Delivery`` id for the receiver to drop.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from vigil.alerts.digest import compose_digests
from vigil.alerts.email_url import parse_email_url
from vigil.alerts.messages import (
    digest_email,
    email_of,
    visible_payloads,
    visible_to,
    webhook_body,
)
from vigil.alerts.models import DIGEST, Channel, DeliveryLog, Outbox, Outcome
from vigil.alerts.reminders import queue_reminders
from vigil.alerts.terms import queue_terms_ending
from vigil.alerts.transport import DeliveryFailed, post_webhook, send_email

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
BATCH = 100
MAX_ATTEMPTS = 8
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    gave_up: int = 0
    dropped: int = 0
    reminders: int = 0
    lapsed: int = 0  # claimed, but the lease ran out before its turn: left to the next run
    digests: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def claimed(self) -> int:
        return self.sent + self.failed + self.gave_up + self.dropped


def backoff(attempts: int) -> timedelta:
    """Wait before attempt ``attempts + 1``: 1, 2, 4, … minutes, at most six hours."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


def due(now: datetime) -> Q:
    """Rows to send now: not sent or dropped, due, and not claimed by a live run."""
    return Q(sent_at__isnull=True, dropped_at__isnull=True, held=False, due_at__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def claim(
    now: datetime, limit: int = BATCH, lease: timedelta = LEASE
) -> tuple[uuid.UUID, list[int]]:
    """Take up to ``limit`` due rows for this run, for ``lease`` (then another run may)."""
    token = uuid.uuid4()
    with transaction.atomic():
        rows = Outbox.objects.filter(due(now)).order_by("due_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        ids = list(rows.values_list("id", flat=True)[:limit])
        # Re-checked in the UPDATE: a row another run claimed meanwhile is not taken twice.
        Outbox.objects.filter(due(now), id__in=ids).update(claim=token, claimed_until=now + lease)
    return token, list(Outbox.objects.filter(claim=token).values_list("id", flat=True))


def deliver_due(
    now: datetime | None = None, limit: int = BATCH, lease: timedelta = LEASE
) -> DeliveryReport:
    """Send every due row once; see the module docstring."""
    report = DeliveryReport()
    given = now
    now = now or timezone.now()
    today = timezone.localdate(now)
    report.reminders = queue_terms_ending(today) + queue_reminders(today)
    if given is None:  # the reminders just written are due in this run
        now = timezone.now()
    report.digests = compose_digests(now)
    if Outbox.objects.filter(due(now), channel=Channel.EMAIL).exists():
        parse_email_url(settings.VIGIL_EMAIL_URL)  # a configuration error stops the run first
    token, ids = claim(now, limit, lease)
    # The run's clock: ``now`` (a test may set it) plus the time the run has taken so far.
    offset = now - timezone.now()
    for row in Outbox.objects.filter(id__in=ids, claim=token).select_related(
        "recipient", "webhook"
    ):
        _deliver_one(row, token, report, lease, timezone.now() + offset)
    return report


DROP_REASON = "the recipient may no longer see the record, or the channel is off"


def _deliver_one(
    row: Outbox, token: uuid.UUID, report: DeliveryReport, lease: timedelta, now: datetime
) -> None:
    attempt = row.attempts + 1
    mine = Outbox.objects.filter(pk=row.pk, claim=token, sent_at__isnull=True)
    if not mine.filter(claimed_until__gt=now).update(claimed_until=now + lease):
        report.lapsed += 1  # another run may hold it now: sending it here could send it twice
        return
    items: list[Outbox] = []
    if row.payload.get("event") == DIGEST:
        items = _digest_items(row, attempt)
        visible = bool(items)
    else:
        visible = visible_to(row.recipient, row.payload)
    if not visible or (row.channel == Channel.WEBHOOK and not (row.webhook and row.webhook.active)):
        with transaction.atomic():
            if mine.update(dropped_at=timezone.now(), claimed_until=None, attempts=attempt):
                DeliveryLog.objects.create(
                    outbox=row, attempt=attempt, outcome=Outcome.DROPPED, detail=DROP_REASON
                )
        log.info("alerts: outbox %s dropped: %s", row.pk, DROP_REASON)
        report.dropped += 1
        return
    try:
        _send(row, items)
    except DeliveryFailed as exc:
        _failed(row, mine, attempt, str(exc), report)
        return
    with transaction.atomic():
        now = timezone.now()
        if mine.update(sent_at=now, claimed_until=None, attempts=attempt):
            DeliveryLog.objects.create(outbox=row, attempt=attempt, outcome=Outcome.SENT)
            # The digest's items are sent with it, in the transaction that marks it sent.
            Outbox.objects.filter(pk__in=[i.pk for i in items], sent_at__isnull=True).update(
                sent_at=now, attempts=1
            )
    report.sent += 1


def _digest_items(row: Outbox, attempt: int) -> list[Outbox]:
    """The digest's items the recipient may see now; those they may not are dropped."""
    items = list(row.items.filter(sent_at__isnull=True, dropped_at__isnull=True))
    shown = visible_payloads(row.recipient, [i.payload for i in items])
    hidden = [i for i, ok in zip(items, shown, strict=True) if not ok]
    if hidden:
        with transaction.atomic():
            now = timezone.now()
            Outbox.objects.filter(pk__in=[i.pk for i in hidden]).update(dropped_at=now)
            DeliveryLog.objects.bulk_create(
                DeliveryLog(outbox=i, attempt=attempt, outcome=Outcome.DROPPED, detail=DROP_REASON)
                for i in hidden
            )
    return [i for i, ok in zip(items, shown, strict=True) if ok]


def _send(row: Outbox, items: list[Outbox]) -> None:
    delivery = f"{row.pk}:{row.dedup_key}"
    if items:
        address = row.recipient.email
        if not address:
            raise DeliveryFailed("the recipient has no e-mail address")
        payloads = [i.payload for i in items]
        subject, body = digest_email(row.recipient, payloads, row.payload.get("day", ""))
        send_email(address, subject, body, delivery)
    elif row.channel == Channel.EMAIL:
        address = row.recipient.email
        if not address:
            raise DeliveryFailed("the recipient has no e-mail address")
        subject, body = email_of(row.recipient, row.payload)
        send_email(address, subject, body, delivery)
    else:
        assert row.webhook is not None  # noqa: S101 - the check constraint guarantees it
        post_webhook(
            row.webhook.url, row.webhook.secret, webhook_body(row.payload, delivery), delivery
        )


def _failed(row: Outbox, mine: object, attempt: int, error: str, report: DeliveryReport) -> None:
    now = timezone.now()
    gave_up = attempt >= MAX_ATTEMPTS
    changes: dict[str, Any] = {
        "attempts": attempt,
        "claimed_until": None,
        "last_error": error[:500],
    }
    if gave_up:
        changes["dropped_at"] = now
    else:
        changes["due_at"] = now + backoff(attempt)
    with transaction.atomic():
        if mine.update(**changes):  # type: ignore[attr-defined]
            if gave_up:  # a digest given up takes its items with it
                Outbox.objects.filter(digest=row, sent_at__isnull=True).update(dropped_at=now)
            DeliveryLog.objects.create(
                outbox=row,
                attempt=attempt,
                outcome=Outcome.GAVE_UP if gave_up else Outcome.FAILED,
                detail=error[:500],
            )
    log.warning("alerts: outbox %s attempt %s failed: %s", row.pk, attempt, error)
    if gave_up:
        report.gave_up += 1
    else:
        report.failed += 1
    report.errors.append(error)


def outbox_status(now: datetime | None = None) -> dict[str, int]:
    """How many outbox rows are due, waiting to retry, claimed, sent, and dropped or given up."""
    now = now or timezone.now()
    open_rows = Outbox.objects.filter(sent_at__isnull=True, dropped_at__isnull=True)
    return {
        "due": open_rows.filter(due(now)).count(),
        "retrying": open_rows.filter(attempts__gt=0, due_at__gt=now).count(),
        "claimed": open_rows.filter(claimed_until__gte=now).count(),
        "sent": Outbox.objects.filter(sent_at__isnull=False).count(),
        "dropped": Outbox.objects.filter(dropped_at__isnull=False).count(),
        "held": open_rows.filter(held=True).count(),
    }
