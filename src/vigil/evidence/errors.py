"""Errors of evidence handling, with messages a user can act on."""

from __future__ import annotations

from vigil.core.errors import NotFound, ValidationFailed, VigilError


class UploadRefused(ValidationFailed):
    """An upload was refused (too large, empty, unreadable); nothing was stored."""


class UploadTooLarge(UploadRefused):
    """An upload is larger than VIGIL_MAX_UPLOAD_MB; nothing was stored."""

    status = 413


class EvidenceFileMissing(NotFound):
    """The stored file of an evidence record is not on disk."""

    status = 500


class IntegrityFailed(VigilError):
    """A stored file no longer matches the SHA-256 recorded when it was ingested."""

    status = 500


class ShareRefused(ValidationFailed):
    """No metadata-free shared copy can be made of this file."""
