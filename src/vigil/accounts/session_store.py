"""Django's database sessions, each request's read compiled once (``SESSION_ENGINE``).

The same table, rows and expiry as ``django.contrib.sessions.backends.db`` (server-side,
revocable at once: a deleted row is a signed-out browser on its next request). Only the read
every request makes — the session by key, unexpired — runs as a statement compiled once per
process and database (``vigil.core.statements``) instead of a queryset built for each request.
Writes, creation, deletion and expiry are Django's.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from vigil.core.statements import Statement

_LIVE = Statement(
    Session,
    [Session._meta.get_field("session_key"), Session._meta.get_field("expire_date")],
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now).values_list(
        "session_data"
    ),
)


class _Read(NamedTuple):
    """What ``load`` reads of the row."""

    session_data: str


class SessionStore(DatabaseStore):
    """Django's database session store; its unexpired row read by a compiled statement."""

    def _get_session_from_db(self) -> Any:
        found = _LIVE.rows(self.session_key, timezone.now())
        if not found:
            self._session_key = None  # as Django's store: a missing or expired row
            return None
        return _Read(found[0][0])
