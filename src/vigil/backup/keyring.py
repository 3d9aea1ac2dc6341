"""The organisation keyring kept in the database, wrapped under the master key."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import transaction

from vigil.backup.models import OrganisationKey
from vigil.crypto.envelope import fingerprint, unwrap_key, wrap_key
from vigil.crypto.errors import DecryptionFailed, KeySourceError
from vigil.crypto.keysource import read_key_file


def master_key() -> bytes:
    """The master key: settings.MASTER_KEY, or the SQLCipher key the database is opened with."""
    configured = getattr(settings, "MASTER_KEY", None)
    if configured is not None:
        return bytes(configured)
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if options.get("key") is not None:
        return bytes(options["key"])
    if options.get("key_file"):
        from pathlib import Path

        return read_key_file(Path(options["key_file"]))
    raise KeySourceError("No master key is configured (settings.MASTER_KEY).")


def org_label(version: int) -> str:
    """The label an organisation key version is wrapped under."""
    return f"v{version}"


class DatabaseKeyring:
    """Organisation keys from the OrganisationKey table; unwrapped keys cached per process."""

    def __init__(self) -> None:
        # (master fingerprint, version) -> (the wrapped key as stored, the unwrapped key). The
        # stored form is kept so that a version whose row was replaced (a restore, a database
        # emptied and its first key made anew) is unwrapped again, not served from the cache.
        self._cache: dict[tuple[str, int], tuple[bytes, bytes]] = {}

    def _unwrap(self, master: bytes, fp: str, row: OrganisationKey) -> bytes:
        wrapped = bytes(row.wrapped)
        cached = self._cache.get((fp, row.version))
        if cached is None or cached[0] != wrapped:
            cached = (wrapped, unwrap_key(master, wrapped, org_label(row.version)))
            self._cache[(fp, row.version)] = cached
        return cached[1]

    def current(self) -> tuple[int, bytes]:
        """The newest organisation key; the first one is created on first use."""
        master = master_key()
        fp = fingerprint(master)
        # Asked every time (cheap): another process may have rotated since.
        row = OrganisationKey.objects.filter(master_fingerprint=fp).order_by("-version").first()
        if row is None:
            if OrganisationKey.objects.exists():
                raise KeySourceError(
                    "The organisation keys are wrapped under another master key: this is not "
                    "the key this database was created with."
                )
            row = create_first_key(master)
        return row.version, self._unwrap(master, fp, row)

    def key(self, version: int) -> bytes:
        """The organisation key of ``version``."""
        master = master_key()
        fp = fingerprint(master)
        cached = self._cache.get((fp, version))
        if cached is not None:
            return cached[1]
        row = OrganisationKey.objects.filter(master_fingerprint=fp, version=version).first()
        if row is None:
            raise DecryptionFailed(
                f"Organisation key version {version} is not available (rotated away, or this "
                "is not the database's master key)."
            )
        return self._unwrap(master, fp, row)

    def forget(self) -> None:
        """Drop the cached keys (after a rotation)."""
        self._cache.clear()


def create_first_key(master: bytes) -> OrganisationKey:
    """Create organisation key version 1 under ``master``."""
    key = secrets.token_bytes(32)
    with transaction.atomic():
        return OrganisationKey.objects.create(
            version=1,
            master_fingerprint=fingerprint(master),
            wrapped=wrap_key(master, key, org_label(1)),
        )


_KEYRING = DatabaseKeyring()


def database_keyring() -> DatabaseKeyring:
    """The process-wide database keyring (settings.FIELD_KEYRING points here)."""
    return _KEYRING
