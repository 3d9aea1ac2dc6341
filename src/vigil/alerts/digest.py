"""The daily digest: a user's alert e-mails held, then sent as one e-mail a day.

A user who chose the daily digest (:class:`~vigil.alerts.models.EmailPreference`) gets their
e-mail outbox rows written *held*: never claimed by themselves. Each `vigil deliver` run from
``VIGIL_DIGEST_HOUR`` (local time, 07 by default) composes, for each such user with held rows,
one digest row keyed ``digest:<user>:<day>`` and points the held rows at it, in one
transaction; the unique key means a second run, or a run racing this one, composes nothing
more that day. The digest row is then sent like any other row (claim, lease, retries); when it
is marked sent its items are marked sent in the same transaction, so a crash between sending
and marking can repeat only the digest itself (same ``X-Vigil-Delivery``), and a crash before
the mark loses nothing. Rows held after the day's digest wait for the next day's.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from vigil.alerts.models import DIGEST, Cadence, Channel, EmailPreference, Outbox
from vigil.core.errors import ConfigurationError, ValidationFailed

if TYPE_CHECKING:
    from vigil.accounts.types import User

DEFAULT_DIGEST_HOUR = 7


def digest_hour() -> int:
    """The local hour from which the day's digests are composed (``VIGIL_DIGEST_HOUR``)."""
    raw = str(getattr(settings, "VIGIL_DIGEST_HOUR", DEFAULT_DIGEST_HOUR)).strip()
    try:
        hour = int(raw)
    except ValueError:
        hour = -1
    if not 0 <= hour <= 23:
        raise ConfigurationError(f"VIGIL_DIGEST_HOUR must be an hour from 0 to 23, not {raw!r}.")
    return hour


def cadence_of(user: User) -> str:
    """``immediate`` or ``daily``: how ``user`` wants alert e-mails."""
    found = EmailPreference.objects.filter(user=user).values_list("cadence", flat=True).first()
    return found or Cadence.IMMEDIATE


def set_cadence(user: User, cadence: str) -> str:
    """Choose how ``user`` receives alert e-mails; the cadence now in force.

    Held rows of a user who goes back to ``immediate`` are released by the next delivery run.
    """
    cadence = (cadence or "").strip().lower()
    if cadence not in Cadence.values:
        raise ValidationFailed(
            f"Unknown e-mail cadence {cadence!r}; choose one of: {', '.join(Cadence.values)}."
        )
    EmailPreference.objects.update_or_create(user=user, defaults={"cadence": cadence})
    return cadence


def held_rows() -> Any:
    """E-mail rows waiting for a digest not yet composed."""
    return Outbox.objects.filter(
        held=True, digest__isnull=True, sent_at__isnull=True, dropped_at__isnull=True
    )


def digest_key(user_id: Any, day: str) -> str:
    return f"{DIGEST}:{user_id}:{day}"


def compose_digests(now: datetime) -> int:
    """Release the held rows of users back on ``immediate``; compose due digests; how many."""
    waiting = held_rows()
    users = set(waiting.values_list("recipient_id", flat=True).distinct())
    if not users:
        return 0
    daily = set(
        EmailPreference.objects.filter(user_id__in=users, cadence=Cadence.DAILY).values_list(
            "user_id", flat=True
        )
    )
    if users - daily:
        waiting.filter(recipient_id__in=users - daily).update(held=False, due_at=now)
    local = timezone.localtime(now)
    if not daily or local.hour < digest_hour():
        return 0
    day = local.date().isoformat()
    composed = 0
    for user_id in sorted(daily, key=str):
        key = digest_key(user_id, day)
        if Outbox.objects.filter(dedup_key=key).exists():
            continue  # today's digest is composed; later rows wait for tomorrow's
        try:
            with transaction.atomic():
                row = Outbox.objects.create(
                    channel=Channel.EMAIL,
                    recipient_id=user_id,
                    payload={"event": DIGEST, "day": day},
                    dedup_key=key,
                    due_at=now,
                )
                n = held_rows().filter(recipient_id=user_id).update(digest=row)
                if not n:
                    raise _NothingHeld
                row.payload["items"] = n
                row.save(update_fields=["payload"])
        except (_NothingHeld, IntegrityError):
            continue  # nothing left to send, or another run composed it meanwhile
        composed += 1
    return composed


class _NothingHeld(Exception):
    """Another run took the held rows first: roll the empty digest back."""
