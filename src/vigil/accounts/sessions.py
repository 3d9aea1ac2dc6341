"""Server-side sessions: sign-in and activity times, 2FA state, and ending them all at once."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest

from vigil.accounts.models import User, UserSession

LOGIN_AT = "vigil_login_at"
SEEN_AT = "vigil_seen_at"
VERIFIED_AT = "vigil_2fa_at"

# Requirement 8 sets ceilings: a deployment may shorten these, never lengthen them.
IDLE_SECONDS = min(int(getattr(settings, "VIGIL_SESSION_IDLE_SECONDS", 1800)), 1800)
ABSOLUTE_SECONDS = min(int(getattr(settings, "VIGIL_SESSION_MAX_SECONDS", 43200)), 43200)


def now() -> float:
    """Seconds since the epoch (a function so every timestamp here has one source)."""
    return time.time()


def start(request: HttpRequest, user: User) -> None:
    """Record a new sign-in: its time, and the session in the user's index."""
    stamp = now()
    request.session[LOGIN_AT] = stamp
    request.session[SEEN_AT] = stamp
    request.session.pop(VERIFIED_AT, None)
    index(request, user)


def index(request: HttpRequest, user: User) -> None:
    """Make sure the current session is in the user's index (saving it to get a key)."""
    if request.session.session_key is None:
        request.session.save()
    key = request.session.session_key
    if key:
        UserSession.objects.update_or_create(session_key=key, defaults={"user": user})


def forget(request: HttpRequest) -> None:
    """Drop the current session from the index (it is being flushed)."""
    key = request.session.session_key
    if key:
        UserSession.objects.filter(session_key=key).delete()


def mark_verified(request: HttpRequest) -> None:
    """Record a successful second factor now; the session key rotates (privilege change)."""
    user = request.user
    forget(request)
    request.session.cycle_key()
    request.session[VERIFIED_AT] = now()
    if isinstance(user, User):
        index(request, user)


def is_verified(request: HttpRequest) -> bool:
    """Whether this session has passed the second factor."""
    return VERIFIED_AT in request.session


def has_recent_2fa(request: HttpRequest, minutes: float = 5) -> bool:
    """Whether the second factor was checked in this session within the last ``minutes``."""
    at = request.session.get(VERIFIED_AT)
    return at is not None and now() - float(at) <= minutes * 60


# Activity is recorded at most this often: each write is a commit under the database's write
# lock, and the idle limit (minutes) needs no finer clock.
TOUCH_SECONDS = 60


def touch(session: Any, at: float | None = None) -> None:
    """Record activity on ``session``, unless it was recorded within the last minute."""
    at = now() if at is None else at
    seen_at = session.get(SEEN_AT)
    if seen_at is None or at - float(seen_at) >= TOUCH_SECONDS:
        session[SEEN_AT] = at


def expired(session: Any, at: float | None = None) -> str | None:
    """Why a session must end now ("idle" or "absolute"), or None while it may continue."""
    at = now() if at is None else at
    login_at = session.get(LOGIN_AT)
    seen_at = session.get(SEEN_AT, login_at)
    if login_at is None:
        return "absolute"
    if at - float(login_at) > ABSOLUTE_SECONDS:
        return "absolute"
    if at - float(seen_at) > IDLE_SECONDS:
        return "idle"
    return None


def end_all(user: User, *, keep: str | None = None) -> int:
    """Delete every server-side session of ``user`` (except ``keep``); return how many."""
    with transaction.atomic():
        keys = list(
            UserSession.objects.filter(user=user)
            .exclude(session_key=keep or "")
            .values_list("session_key", flat=True)
        )
        Session.objects.filter(session_key__in=keys).delete()
        UserSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


def live_sessions(user: User) -> list[UserSession]:
    """The user's indexed sessions that still exist on the server."""
    existing = set(
        Session.objects.filter(
            session_key__in=UserSession.objects.filter(user=user).values("session_key")
        ).values_list("session_key", flat=True)
    )
    return [
        s
        for s in UserSession.objects.filter(user=user).order_by("-created_at")
        if s.session_key in existing
    ]
