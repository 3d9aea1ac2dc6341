"""Webhook signatures: HMAC-SHA256 over ``timestamp + "." + body``, and their verification.

Pure Python (no Django) so a receiver can copy it. The timestamp is signed with the body, so a
captured request cannot be replayed later with a fresh timestamp; a receiver rejects requests
whose timestamp is older than its tolerance and remembers ``X-Vigil-Delivery`` ids it has seen.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Vigil-Signature"
TIMESTAMP_HEADER = "X-Vigil-Timestamp"
DELIVERY_HEADER = "X-Vigil-Delivery"
TOLERANCE_SECONDS = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``X-Vigil-Signature`` value: ``sha256=`` and the hex HMAC of ``"<ts>." + body``."""
    message = str(int(timestamp)).encode("ascii") + b"." + body
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(
    secret: str,
    timestamp: str,
    body: bytes,
    signature: str,
    *,
    tolerance: int = TOLERANCE_SECONDS,
    now: float | None = None,
) -> bool:
    """Whether ``signature`` signs ``body`` at ``timestamp`` and the timestamp is recent."""
    try:
        ts = int(timestamp)
    except (TypeError, ValueError):
        return False
    current = time.time() if now is None else now
    if abs(current - ts) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, ts, body), signature or "")
