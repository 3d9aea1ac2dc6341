"""The hash chain: each entry's hash covers its canonical encoding and the previous hash."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import rfc8785

from vigil.audit.merkle import leaf_hash

GENESIS = "0" * 64
FORMAT = 1


def canonical_time(at: dt.datetime) -> str:
    """A timestamp as UTC ISO 8601 with microseconds, the same on every backend."""
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def entry_payload(
    *,
    seq: int,
    at: dt.datetime,
    event: str,
    actor_id: str,
    object_type: str,
    object_id: str,
    context: str,
    meta: dict[str, Any],
    prev_hash: str,
) -> dict[str, Any]:
    """The fields an entry hash covers, as a JSON-ready mapping."""
    return {
        "v": FORMAT,
        "seq": seq,
        "at": canonical_time(at),
        "event": event,
        "actor": actor_id,
        "object_type": object_type,
        "object_id": object_id,
        "context": context,
        "meta": meta,
        "prev": prev_hash,
    }


def hash_payload(payload: dict[str, Any]) -> str:
    """SHA-256 (hex) over the RFC 8785 canonical JSON of ``payload``."""
    return hashlib.sha256(rfc8785.dumps(payload)).hexdigest()


def entry_leaf(entry_hash: str) -> bytes:
    """The Merkle leaf hash of an entry: the leaf data is the entry hash's 32 bytes."""
    return leaf_hash(bytes.fromhex(entry_hash))
