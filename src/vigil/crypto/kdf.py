"""Argon2id: a passphrase and a per-database salt give the 256-bit master key."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw

from vigil.crypto.errors import KeySourceError

KEY_BYTES = 32
FORMAT = "vigil-kdf/1"
# RFC 9106's second recommended option: memory-bound without needing 2 GiB.
DEFAULT_TIME_COST = 3
DEFAULT_MEMORY_COST = 64 * 1024  # KiB
DEFAULT_PARALLELISM = 4


@dataclass(frozen=True)
class KdfHeader:
    """Salt, Argon2id parameters and a key check value, stored beside the database."""

    salt: str
    time_cost: int
    memory_cost: int
    parallelism: int
    check: str = ""
    format: str = FORMAT
    algorithm: str = "argon2id"


def new_header(
    *,
    time_cost: int | None = None,
    memory_cost: int | None = None,
    parallelism: int | None = None,
) -> KdfHeader:
    """A header with a fresh random salt and no check value yet (defaults: RFC 9106)."""
    return KdfHeader(
        salt=secrets.token_bytes(16).hex(),
        time_cost=time_cost or DEFAULT_TIME_COST,
        memory_cost=memory_cost or DEFAULT_MEMORY_COST,
        parallelism=parallelism or DEFAULT_PARALLELISM,
    )


def derive_key(passphrase: bytes, header: KdfHeader) -> bytes:
    """The raw 256-bit key for ``passphrase`` under the header's salt and parameters."""
    return hash_secret_raw(
        secret=passphrase,
        salt=bytes.fromhex(header.salt),
        time_cost=header.time_cost,
        memory_cost=header.memory_cost,
        parallelism=header.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def key_check(key: bytes) -> str:
    """A short value that tells a wrong passphrase from a right one without revealing the key."""
    return hmac.new(key, b"vigil key check v1", hashlib.sha256).hexdigest()[:32]


def with_check(header: KdfHeader, key: bytes) -> KdfHeader:
    """The header completed with the check value of ``key``."""
    return KdfHeader(**{**asdict(header), "check": key_check(key)})


def read_header(path: Path) -> KdfHeader:
    """Read and validate a header file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise KeySourceError(
            f"The passphrase header {path} is missing: it holds the salt without which the "
            "passphrase cannot give the key. Restore it from a backup."
        ) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise KeySourceError(f"The passphrase header {path} is not valid JSON.") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise KeySourceError(f"The passphrase header {path} has an unknown format.")
    try:
        header = KdfHeader(**data)
        salt = bytes.fromhex(header.salt)
    except (TypeError, ValueError) as exc:
        raise KeySourceError(f"The passphrase header {path} is malformed.") from exc
    if header.algorithm != "argon2id" or len(salt) < 16:
        raise KeySourceError(f"The passphrase header {path} is malformed.")
    return header


def write_header(path: Path, header: KdfHeader) -> None:
    """Write the header atomically, readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(asdict(header), handle, indent=2)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
