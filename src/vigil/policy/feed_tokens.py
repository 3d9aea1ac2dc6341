"""Revocable secrets in a user's feed addresses (iCalendar, Atom): only their SHA-256 stored.

One mechanism for every feed: a model built on ``core.models.FeedSecret`` with a ``user``
(solidarity.CalendarToken, alerts.FeedToken); issuing a
token revokes the user's earlier ones; both are audited, never with the token itself.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone

from vigil.policy.access import role_of
from vigil.policy.auditing import audit

if TYPE_CHECKING:
    from vigil.accounts.types import User

MAX_TOKEN_LENGTH = 100


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(model: type[models.Model], user: User, route: str) -> str:
    """A new token for ``user`` (shown once); the user's earlier ones are revoked."""
    revoke(model, user, route)
    token = secrets.token_urlsafe(32)
    row = model._default_manager.create(user=user, digest=digest_of(token))
    audit("token_issued", actor=user, obj=row, route=route)
    return token


def revoke(model: type[models.Model], user: User, route: str) -> int:
    """Revoke every active token of ``user``; the number revoked."""
    n = model._default_manager.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if n:
        audit("token_revoked", actor=user, tokens=n, route=route)
    return n


def active(model: type[models.Model], user: User) -> Any:
    """The user's active token row, or None."""
    return model._default_manager.filter(user=user, revoked_at__isnull=True).first()


def user_for(model: type[models.Model], token: str) -> User | None:
    """The active user a token belongs to, or None (revoked, unknown, disabled user)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = (
        model._default_manager.filter(digest=digest_of(token), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    user: User | None = getattr(row, "user", None)  # every feed-token model has a ``user``
    if row is None or role_of(user) is None:
        return None
    model._default_manager.filter(pk=row.pk).update(last_used_at=timezone.now())
    return user
