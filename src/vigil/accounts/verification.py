"""Checking a second factor for a signed-in user: throttled, audited, replay-safe."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from vigil.accounts import recovery, sessions, throttle, totp
from vigil.accounts.auditing import audit
from vigil.accounts.models import User


def check_code(request: HttpRequest, user: User, code: str) -> str | None:
    """Verify a TOTP or recovery code; on success mark the session verified and return the method.

    Raises :class:`throttle.TooManyAttempts` when the account or address is over its limit;
    code failures share the limit with password failures.
    """
    attempt = throttle.begin(request, user.get_username())
    device = totp.confirmed_device(user)
    method = None
    if device is not None and recovery.looks_like_recovery_code(code):
        method = "recovery" if recovery.use(user, code) else None
    elif device is not None and totp.verify(device, code):
        method = "totp"
    if method is None:
        audit("2fa_failed", actor=user, obj=user)
        return None
    throttle.succeeded(attempt)
    sessions.mark_verified(request)
    audit("2fa_ok", actor=user, obj=user, method=method)
    return method


def safe_next(request: HttpRequest, fallback: str = "/") -> str:
    """The ``next`` parameter if it points into this site, else ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else fallback
