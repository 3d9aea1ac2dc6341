"""Sign-in throttle: at most a few failed attempts per account and per address each minute.

Attempts are stored under an HMAC of the account name or address, never the raw value, and
rows older than the window are deleted: a seized server does not list who tried from where.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from vigil.accounts.models import AuthAttempt
from vigil.core.client_address import client_address
from vigil.core.errors import TooManyAttempts

LIMIT = 5
WINDOW = timedelta(minutes=1)


@dataclass
class Attempt:
    """The rows one attempt wrote, removed again if the attempt succeeds."""

    ids: list[int] = field(default_factory=list)


def _digest(kind: str, value: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def attempt_keys(request: HttpRequest | None, username: str) -> list[str]:
    """The throttle keys of one attempt: the account and the client address."""
    return [_digest("user", username.strip().casefold()), _digest("ip", client_address(request))]


def begin(request: HttpRequest | None, username: str) -> Attempt:
    """Count an attempt before any password is checked; raise when a limit is reached."""
    now = timezone.now()
    keys = attempt_keys(request, username)
    with transaction.atomic():
        AuthAttempt.objects.filter(at__lt=now - WINDOW).delete()
        for key in keys:
            if AuthAttempt.objects.filter(key=key, at__gte=now - WINDOW).count() >= LIMIT:
                raise TooManyAttempts()
        rows = AuthAttempt.objects.bulk_create([AuthAttempt(key=k, at=now) for k in keys])
    return Attempt(ids=[r.pk for r in rows if r.pk is not None])


def succeeded(attempt: Attempt) -> None:
    """Forget a successful attempt: only failures count towards the limit."""
    if attempt.ids:
        AuthAttempt.objects.filter(pk__in=attempt.ids).delete()
