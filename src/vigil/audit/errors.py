"""Errors of the audit log, in Vigil's one error hierarchy."""

from __future__ import annotations

from vigil.core.errors import VigilError


class AuditError(VigilError):
    """The audit log cannot do what was asked."""


class AuditMetadataRefused(AuditError):
    """An audit call passed an unknown event or metadata that is not on the allow-list."""

    status = 500


class AuditTampered(AuditError):
    """Verification found the log changed, cut or inconsistent with a signed checkpoint."""

    status = 500

    def __init__(self, message: str, seq: int | None = None) -> None:
        super().__init__(message)
        self.seq = seq


class AuditAppendOnly(AuditError):
    """Audit entries and checkpoints are never edited or deleted through Vigil."""

    status = 405
