"""API tokens: issued from a freshly 2FA-checked session, stored hashed, expiring, revocable."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from vigil.accounts.auditing import audit
from vigil.accounts.models import ApiToken, User
from vigil.accounts.stepup import require_recent_2fa
from vigil.core.errors import ValidationFailed

PREFIX = "vigil_"
DEFAULT_DAYS = 30
MAX_DAYS = 90
# Writing last-used on every call would turn each API read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def digest(raw: str) -> str:
    """The stored form of a token: SHA-256 of the whole string (its secret has 256 bits)."""
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(user: User, name: str, days: int = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """Create a token for ``user``; the raw secret is returned once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationFailed("Give the token a name that says what it is for.")
    if not 1 <= days <= MAX_DAYS:
        raise ValidationFailed(f"A token lives between 1 and {MAX_DAYS} days.")
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        digest=digest(raw),
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit("token_issued", actor=user, obj=token, days=days)
    return token, raw


def issue_token(request: HttpRequest, name: str, days: int = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """Issue a token to the signed-in user, only from a session that passed 2FA just now."""
    require_recent_2fa(request)
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - require_recent_2fa ensured a signed-in user
    return create_token(user, name, days)


def authenticate_token(raw: str) -> User | None:
    """The active user a valid, unexpired, unrevoked token belongs to; None otherwise."""
    if not raw or not raw.startswith(PREFIX) or len(raw) > 200:
        return None
    wanted = digest(raw)
    token = ApiToken.objects.select_related("user").filter(digest=wanted).first()
    if token is None or not hmac.compare_digest(token.digest, wanted):
        return None
    now = timezone.now()
    if token.revoked_at is not None or token.expires_at <= now or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def revoke(token: ApiToken) -> None:
    """Revoke one token now."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def revoke_all(user: User) -> int:
    """Revoke every live token of ``user``; return how many."""
    with transaction.atomic():
        return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )


def active_tokens(user: User) -> list[ApiToken]:
    """The user's tokens that still work, newest first."""
    return list(
        ApiToken.objects.filter(
            user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).order_by("-created_at")
    )
