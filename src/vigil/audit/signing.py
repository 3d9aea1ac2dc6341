"""The Ed25519 key that signs checkpoints: created on first use, owner-readable only."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from vigil.audit.errors import AuditError

KEY_FILE_NAME = "audit-signing.key"
SEAL_KEY_LABEL = b"vigil audit entry seal v1"
SEAL_PREFIX = b"vigil-audit-seal/1\x00"

# The parsed key, by file identity: appends seal every entry and must not re-read the PEM.
_cache: dict[tuple[str, int, int, int], Ed25519PrivateKey] = {}


def key_path() -> Path:
    """Where the signing key lives (``AUDIT_SIGNING_KEY_FILE``, default in the data folder)."""
    configured = getattr(settings, "AUDIT_SIGNING_KEY_FILE", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / KEY_FILE_NAME


def _read(path: Path) -> Ed25519PrivateKey:
    info = path.stat()
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise AuditError(
            f"The audit signing key {path} is readable by other users; "
            "restrict it to its owner (chmod 600) and run again."
        )
    identity = (str(path), info.st_ino, info.st_mtime_ns, info.st_size)
    cached = _cache.get(identity)
    if cached is not None:
        return cached
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except ValueError as exc:
        raise AuditError(f"The audit signing key {path} is not a PEM private key.") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise AuditError(f"The audit signing key {path} is not an Ed25519 key.")
    _cache.clear()
    _cache[identity] = key
    return key


def _create(path: Path) -> Ed25519PrivateKey:
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written whole beside the target, then linked into place: a second process creating the
    # key at the same moment gets FileExistsError and never reads a half-written file.
    partial = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return key


def _refuse_new_key_over_checkpoints(path: Path) -> None:
    # A new key would leave every stored checkpoint "signed by an unknown key": after a restore
    # or a lost file, the key must be put back, never silently replaced.
    from vigil.audit.models import AuditCheckpoint

    signed = AuditCheckpoint.objects.count()
    if signed:
        raise AuditError(
            f"The audit signing key {path} is missing, but the audit log has {signed} "
            "checkpoint(s) signed with it. Put the key back (every `vigil backup create` "
            "archive holds it; `vigil backup restore` puts it in place); a new key would leave "
            "those checkpoints unverifiable, so none is made."
        )


def signing_key() -> Ed25519PrivateKey:
    """The checkpoint signing key, created (mode 0600) if there is none yet.

    Refused (AuditError) when the key file is missing but checkpoints signed by it exist.
    """
    path = key_path()
    if not path.exists():
        _refuse_new_key_over_checkpoints(path)
        try:
            return _create(path)
        except FileExistsError:
            pass
    return _read(path)


def check_same_key_as_log() -> None:
    """Refuse to start (AuditError) when this host's key is not the one that signs the log.

    Several hosts on one database seal every entry and sign checkpoints with one key: a host
    with a key of its own would write entries no checkpoint verifies. Compared with the public
    key of the latest checkpoint; a log without checkpoints has nothing to compare yet.
    """
    from vigil.audit.models import AuditCheckpoint

    latest = AuditCheckpoint.objects.order_by("-id").values_list("public_key", flat=True).first()
    if latest is None:
        return
    path = key_path()
    here = local_public_key()
    if here is None:
        _refuse_new_key_over_checkpoints(path)
    if here != latest:
        raise AuditError(
            f"The audit signing key {path} is not the key that signed the audit log's latest "
            "checkpoint. Every host serving one database needs the same key: copy it from the "
            "first host (or a backup) and point VIGIL_AUDIT_SIGNING_KEY at it."
        )


def public_key_hex(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The raw 32-byte public key, hex-encoded."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return raw.hex()


def local_public_key() -> str | None:
    """The public key of this installation's signing key, without creating one."""
    path = key_path()
    return public_key_hex(_read(path)) if path.exists() else None


def sign(statement: bytes) -> tuple[str, str]:
    """Sign ``statement``; return (public key hex, signature hex)."""
    key = signing_key()
    return public_key_hex(key), key.sign(statement).hex()


def seal_key(key: Ed25519PrivateKey) -> bytes:
    """The HMAC key that seals entries, derived from the checkpoint signing key."""
    return hmac.new(key.private_bytes_raw(), SEAL_KEY_LABEL, hashlib.sha256).digest()


def seal_with(key: bytes, entry_hash: str) -> str:
    """The seal of an entry hash under ``key`` (from :func:`seal_key`), hex."""
    return hmac.new(key, SEAL_PREFIX + bytes.fromhex(entry_hash), hashlib.sha256).hexdigest()


def seal(entry_hash: str) -> str:
    """The seal of one entry: HMAC-SHA256 of its hash under a key derived from the signing key.

    The hash chain can be recomputed by anyone who can write the database; the seal cannot be
    without the signing key, so a re-hashed entry shows as the first one whose seal fails.
    """
    return seal_with(seal_key(signing_key()), entry_hash)


def local_signing_key() -> Ed25519PrivateKey | None:
    """This installation's signing key, without creating one."""
    path = key_path()
    return _read(path) if path.exists() else None


def signature_valid(public_key: str, statement: bytes, signature: str) -> bool:
    """Whether ``signature`` (hex) is ``public_key``'s (hex) signature of ``statement``."""
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(
            bytes.fromhex(signature), statement
        )
    except (InvalidSignature, ValueError):
        return False
    return True
