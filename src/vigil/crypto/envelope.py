"""AES-256-GCM envelopes: a fresh data key per value, wrapped by a versioned organisation key.

A token is ``vgl1:`` + base64 of::

    format (1 byte) | key version (4 bytes) | wrap nonce (12) | wrapped data key (48)
    | data nonce (12) | ciphertext + tag

The wrapped data key is bound to ``table|record id|field|key version``, the ciphertext to
``table|record id|field``: a token copied to another row or field, or with its version byte
changed, fails to decrypt. Rotation re-wraps the data key only; the ciphertext stays.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import struct
from dataclasses import dataclass
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from vigil.crypto.errors import DecryptionFailed

PREFIX = "vgl1:"
FORMAT = 1
NONCE = 12
KEY = 32
WRAPPED = KEY + 16
_HEAD = struct.Struct(">BI")
_MIN = _HEAD.size + NONCE + WRAPPED + NONCE + 16


class Keyring(Protocol):
    """Organisation keys by version; ``current`` is the one new values are sealed with."""

    def current(self) -> tuple[int, bytes]: ...

    def key(self, version: int) -> bytes: ...


class StaticKeyring:
    """A keyring held in memory (tests, tools)."""

    def __init__(self, keys: dict[int, bytes]) -> None:
        self.keys = dict(keys)

    def current(self) -> tuple[int, bytes]:
        version = max(self.keys)
        return version, self.keys[version]

    def key(self, version: int) -> bytes:
        try:
            return self.keys[version]
        except KeyError:
            raise DecryptionFailed(
                f"Organisation key version {version} is not available."
            ) from None


@dataclass(frozen=True)
class Place:
    """Where a value lives; the ciphertext is bound to it."""

    table: str
    record_id: str
    field: str

    def aad(self, version: int | None = None) -> bytes:
        parts = [self.table, self.record_id, self.field]
        if version is not None:
            parts.append(str(version))
        if any("|" in part for part in parts):
            raise ValueError("table, record id and field names must not contain '|'")
        return "|".join(parts).encode("utf-8")

    def __str__(self) -> str:
        return f"{self.table}.{self.field} of record {self.record_id}"


@dataclass(frozen=True)
class Envelope:
    """The parts of a token."""

    version: int
    wrap_nonce: bytes
    wrapped_key: bytes
    nonce: bytes
    ciphertext: bytes

    def encode(self) -> str:
        raw = (
            _HEAD.pack(FORMAT, self.version)
            + self.wrap_nonce
            + self.wrapped_key
            + self.nonce
            + self.ciphertext
        )
        return PREFIX + base64.b64encode(raw).decode("ascii")

    @classmethod
    def decode(cls, token: str, place: Place) -> Envelope:
        if not token.startswith(PREFIX):
            raise DecryptionFailed(f"The value of {place} is not an encrypted token.")
        try:
            raw = base64.b64decode(token[len(PREFIX) :], validate=True)
        except (binascii.Error, ValueError):
            raise DecryptionFailed(f"The encrypted value of {place} is corrupted.") from None
        if len(raw) < _MIN:
            raise DecryptionFailed(f"The encrypted value of {place} is truncated.")
        fmt, version = _HEAD.unpack_from(raw)
        if fmt != FORMAT:
            raise DecryptionFailed(f"The encrypted value of {place} has an unknown format.")
        at = _HEAD.size
        wrap_nonce, at = raw[at : at + NONCE], at + NONCE
        wrapped, at = raw[at : at + WRAPPED], at + WRAPPED
        nonce, at = raw[at : at + NONCE], at + NONCE
        return cls(version, wrap_nonce, wrapped, nonce, raw[at:])


def token_version(token: str) -> int:
    """The organisation key version a token was sealed under (no key needed)."""
    return Envelope.decode(token, Place("?", "?", "?")).version


def seal(plaintext: str, place: Place, keyring: Keyring) -> str:
    """Encrypt ``plaintext`` for ``place`` under the keyring's current organisation key."""
    version, org_key = keyring.current()
    data_key = AESGCM.generate_key(bit_length=256)
    wrap_nonce, nonce = secrets.token_bytes(NONCE), secrets.token_bytes(NONCE)
    wrapped = AESGCM(org_key).encrypt(wrap_nonce, data_key, b"vigil-dek|" + place.aad(version))
    ciphertext = AESGCM(data_key).encrypt(nonce, plaintext.encode("utf-8"), place.aad())
    return Envelope(version, wrap_nonce, wrapped, nonce, ciphertext).encode()


def _data_key(envelope: Envelope, place: Place, keyring: Keyring) -> bytes:
    org_key = keyring.key(envelope.version)
    try:
        return AESGCM(org_key).decrypt(
            envelope.wrap_nonce, envelope.wrapped_key, b"vigil-dek|" + place.aad(envelope.version)
        )
    except InvalidTag:
        raise DecryptionFailed(
            f"The encrypted value of {place} does not decrypt: it was altered, or copied "
            "from another record or field."
        ) from None


def open_token(token: str, place: Place, keyring: Keyring) -> str:
    """Decrypt a token stored at ``place``; DecryptionFailed if anything does not match."""
    envelope = Envelope.decode(token, place)
    data_key = _data_key(envelope, place, keyring)
    try:
        plain = AESGCM(data_key).decrypt(envelope.nonce, envelope.ciphertext, place.aad())
    except InvalidTag:
        raise DecryptionFailed(
            f"The encrypted value of {place} does not decrypt: it was altered, or copied "
            "from another record or field."
        ) from None
    return plain.decode("utf-8")


def rewrap(token: str, place: Place, old: Keyring, new_version: int, new_key: bytes) -> str:
    """The same ciphertext with its data key re-wrapped under another organisation key."""
    envelope = Envelope.decode(token, place)
    data_key = _data_key(envelope, place, old)
    wrap_nonce = secrets.token_bytes(NONCE)
    wrapped = AESGCM(new_key).encrypt(wrap_nonce, data_key, b"vigil-dek|" + place.aad(new_version))
    return Envelope(new_version, wrap_nonce, wrapped, envelope.nonce, envelope.ciphertext).encode()


def wrap_key(master: bytes, key: bytes, label: str) -> bytes:
    """``key`` encrypted under the master key, bound to ``label`` (nonce prepended)."""
    nonce = secrets.token_bytes(NONCE)
    return nonce + AESGCM(master).encrypt(nonce, key, b"vigil-org-key|" + label.encode())


def unwrap_key(master: bytes, wrapped: bytes, label: str) -> bytes:
    """Inverse of :func:`wrap_key`; DecryptionFailed under another master key or label."""
    try:
        return AESGCM(master).decrypt(
            wrapped[:NONCE], wrapped[NONCE:], b"vigil-org-key|" + label.encode()
        )
    except InvalidTag:
        raise DecryptionFailed(
            f"The organisation key {label} does not open with this key."
        ) from None


def fingerprint(master: bytes) -> str:
    """A public name for a master key: tells keys apart without revealing them."""
    return hmac.new(master, b"vigil master key fingerprint v1", hashlib.sha256).hexdigest()[:32]
