"""What the audit log records: event types and the allow-list of metadata keys.

Metadata says *what kind* of thing happened, never *what it contained*: no field values,
names, free text from users, passwords, codes, tokens or keys.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from vigil.audit.errors import AuditMetadataRefused


class Event(models.TextChoices):
    """Types of audited events."""

    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGIN_THROTTLED = "login_throttled"
    LOGOUT = "logout"
    LOGOUT_ALL = "logout_all"
    TWO_FACTOR_OK = "2fa_ok"
    TWO_FACTOR_FAILED = "2fa_failed"
    TWO_FACTOR_ENROLLED = "2fa_enrolled"
    TWO_FACTOR_REMOVED = "2fa_removed"
    STEP_UP = "step_up"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 (an event name)
    DENIED = "denied"
    IDENTITY_READ = "identity_read"
    IDENTITY_WRITTEN = "identity_written"  # an identity field set or changed (never its value)
    EXPORT = "export"
    QUOTA_EXCEEDED = "quota_exceeded"
    GRANT = "grant"
    REVOKE = "revoke"
    ROLE_CHANGED = "role_changed"
    USER_CREATED = "user_created"
    USER_DISABLED = "user_disabled"
    TOKEN_ISSUED = "token_issued"  # noqa: S105
    TOKEN_REVOKED = "token_revoked"  # noqa: S105
    KEY_OPERATION = "key_operation"
    LOCKDOWN = "lockdown"
    BACKUP = "backup"
    RESTORE = "restore"
    PURGE = "purge"
    EVIDENCE_ACCESS = "evidence_access"
    SCREENING_DECISION = "screening_decision"
    MERGE = "merge"
    UNMERGE = "unmerge"
    CHECKPOINT = "checkpoint"
    RISK_MODEL = "risk_model"  # a risk-model computation run (early warning), never its scores
    RISK_VIEW = "risk_view"  # someone was shown risk scores (list, person panel), never the score
    RISK_REGISTER = "risk_register"  # the watched register changed (added, status)
    RISK_LINK = "risk_link"  # a cross-source link offer confirmed or rejected
    LIST_IMPORT = "list_import"  # a stored list of persons added (never its rows)
    LINK_RUN = "link_run"  # stored lists linked (counts only)
    LINK_DECISION = "link_decision"  # a reviewer decided a pair of list rows (same / different)


META_KEYS: frozenset[str] = frozenset(
    {
        "action",  # permission action denied or performed ("view", "export", ...)
        "count",  # number of records or rows concerned
        "days",  # validity of an issued token
        "decision",  # a review decision code ("confirmed", "rejected", "pending")
        "failures",  # number of steps that failed (lockdown)
        "field",  # the *name* of an identity field read, never its value
        "format",  # export or backup format
        "grants",  # number of grants revoked
        "method",  # 2FA or login method ("totp", "webauthn", "token")
        "operation",  # key operation ("rotate", "rewrap", "backup-split")
        "reason",  # machine code for a failure or denial ("bad_password", "no_grant")
        "recipients",  # number of age recipients an export was encrypted to
        "result",  # "ok" / "failed"
        "role",  # a role name granted or changed
        "route",  # URL name or command name, never a URL with its query
        "scope",  # grant scope ("case", "record")
        "session",  # a short hash of the session key, to tie events together
        "sessions",  # number of sessions ended
        "sha256",  # digest of a produced file (backup, export)
        "size",  # size of a produced file, or tree size of a checkpoint
        "target",  # id of the user acted upon (grant, lockdown)
        "tokens",  # number of API tokens revoked
    }
)
MAX_TEXT = 200


def check_event(event: str) -> str:
    """Return ``event`` if it is a known event type; raise otherwise."""
    if event not in Event.values:
        raise AuditMetadataRefused(f"Unknown audit event {event!r}; add it to vigil.audit.events.")
    return event


def check_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """Return ``meta`` if every key is allow-listed and every value a short scalar; raise."""
    unknown = sorted(set(meta) - META_KEYS)
    if unknown:
        raise AuditMetadataRefused(
            f"Audit metadata key(s) {', '.join(unknown)} are not allowed: the audit log records "
            "what happened, never field values or secrets (see vigil.audit.events.META_KEYS)."
        )
    for key, value in meta.items():
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int):
            # JSON canonicalisation (RFC 8785) only represents integers exactly up to 2**53.
            if abs(value) >= 2**53:
                raise AuditMetadataRefused(f"Audit metadata {key!r} is too large.")
            continue
        if isinstance(value, str):
            if len(value) > MAX_TEXT:
                raise AuditMetadataRefused(f"Audit metadata {key!r} is longer than {MAX_TEXT}.")
            continue
        raise AuditMetadataRefused(
            f"Audit metadata {key!r} must be text, a whole number, true/false or empty."
        )
    return dict(meta)
