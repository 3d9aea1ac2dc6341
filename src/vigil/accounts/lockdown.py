"""Lockdown: the day an infiltrator is found, cut the account off everywhere at once.

Other apps register revokers (``register_revoker``) for what they granted the user, such as
per-case grants; each returns how many things it revoked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from vigil.accounts import sessions, tokens
from vigil.accounts.auditing import audit
from vigil.accounts.models import User
from vigil.core.errors import ValidationFailed

Revoker = Callable[[User], int]
# A code, not free text: the audit log never holds prose that could name people.
REASONS = ("infiltration", "compromised-device", "departure", "drill", "other")
_revokers: dict[str, Revoker] = {}


def register_revoker(fn: Revoker) -> Revoker:
    """Run ``fn(user)`` at every lockdown (usable as a decorator; registering twice is harmless)."""
    _revokers[f"{fn.__module__}.{fn.__qualname__}"] = fn
    return fn


def registered_revokers() -> dict[str, Revoker]:
    """The revokers lockdown runs, by name."""
    return dict(_revokers)


@dataclass
class LockdownReport:
    """What a lockdown did."""

    username: str
    sessions: int = 0
    tokens: int = 0
    revoked: dict[str, int] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)


def lockdown(user: User, *, reason: str = "", actor: User | None = None) -> LockdownReport:
    """Disable ``user``, end their sessions, revoke their tokens and grants, and audit it."""
    if reason and reason not in REASONS:
        raise ValidationFailed(f"The reason must be one of: {', '.join(REASONS)}.")
    report = LockdownReport(username=user.get_username())
    with transaction.atomic():
        report.sessions = sessions.end_all(user)
        report.tokens = tokens.revoke_all(user)
        user.is_active = False
        # A new password hash also invalidates any session the index missed (Django checks it).
        user.set_unusable_password()
        user.save(update_fields=["is_active", "password"])
    # The account is already cut off; a failing revoker must not undo that, so each runs alone.
    for name, revoker in registered_revokers().items():
        try:
            with transaction.atomic():
                report.revoked[name] = int(revoker(user))
        except Exception as exc:  # noqa: BLE001 - reported to the operator, never swallowed
            report.failures[name] = f"{type(exc).__name__}: {exc}"
    audit(
        "lockdown",
        actor=actor,
        obj=user,
        reason=reason or "other",
        target=str(user.pk),
        sessions=report.sessions,
        tokens=report.tokens,
        grants=sum(report.revoked.values()),
        failures=len(report.failures),
    )
    return report


def log_out_everywhere(user: User) -> tuple[int, int]:
    """End all of the user's sessions and revoke their API tokens; return both counts."""
    with transaction.atomic():
        ended = sessions.end_all(user)
        revoked = tokens.revoke_all(user)
    audit("logout_all", actor=user, obj=user, sessions=ended, tokens=revoked)
    return ended, revoked
