"""Errors of key handling and encryption, with messages a user can act on."""

from __future__ import annotations

from vigil.core.errors import DatabaseKeyError, VigilError


class KeySourceError(DatabaseKeyError):
    """The configured key source cannot give a key (refused, missing, malformed)."""


class DecryptionFailed(VigilError):
    """A ciphertext does not decrypt: wrong key, altered bytes, or moved to another place."""

    status = 500


class KeyBackupError(VigilError):
    """A key backup cannot be written or a key cannot be recovered from the pieces given."""
