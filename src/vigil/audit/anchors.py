"""Anchors: the signed (size, head hash) of the log, kept where a forger cannot reach.

A checkpoint signs the Merkle root; an anchor signs the entry count and the hash of the last
entry, small enough to travel inside every backup manifest and every export's audit entry. A
log that is later shorter than an anchor, or whose entry at the anchor's size has another
hash, was cut or rewritten (`vigil audit verify --anchor FILE`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rfc8785
from django.utils import timezone

from vigil.audit.chain import GENESIS, canonical_time
from vigil.audit.errors import AuditError
from vigil.audit.models import AuditEntry, AuditHead
from vigil.audit.signing import sign, signature_valid

ANCHOR_TYPE = "vigil-audit-anchor"
ANCHOR_VERSION = 1
# Events whose entry carries the anchor of the head before it (see vigil.audit.log.audit).
ANCHORED_EVENTS = frozenset({"export", "backup"})
FIELDS = {"size": int, "head": str, "at": str, "public_key": str, "signature": str}


def statement(size: int, head: str, at: str) -> bytes:
    """The exact bytes an anchor signature covers (RFC 8785 canonical JSON)."""
    return rfc8785.dumps(
        {"type": ANCHOR_TYPE, "v": ANCHOR_VERSION, "size": size, "head": head, "at": at}
    )


@dataclass(frozen=True)
class Anchor:
    """A signed (size, head hash) from an export entry, a backup or an anchor file."""

    size: int
    head: str
    at: str
    public_key: str
    signature: str
    source: str

    def signature_ok(self) -> bool:
        """Whether the signature covers this size, head and time under ``public_key``."""
        return signature_valid(
            self.public_key, statement(self.size, self.head, self.at), self.signature
        )

    def as_dict(self) -> dict[str, Any]:
        """The anchor as a small JSON-ready mapping (what backups and exports embed)."""
        return {
            "type": ANCHOR_TYPE,
            "v": ANCHOR_VERSION,
            "size": self.size,
            "head": self.head,
            "at": self.at,
            "public_key": self.public_key,
            "signature": self.signature,
        }


def anchor_head(size: int, head_hash: str, at: dt.datetime | None = None) -> Anchor:
    """Sign the head of a log of ``size`` entries whose last hash is ``head_hash``."""
    when = canonical_time(at or timezone.now())
    public_key, signature = sign(statement(size, head_hash, when))
    return Anchor(size, head_hash, when, public_key, signature, source="this log")


def current_anchor() -> dict[str, Any]:
    """The signed anchor of the log's head as it is now, as a small dict.

    ``{"type", "v", "size", "head", "at", "public_key", "signature"}``; store it anywhere
    off-host (backups embed it) and give it back to `vigil audit verify --anchor FILE`.
    """
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        return anchor_head(0, GENESIS).as_dict()
    return anchor_head(head.size, head.head_hash).as_dict()


def write_anchor(path: Path) -> dict[str, Any]:
    """Write :func:`current_anchor` to ``path`` as JSON (owner-only); return it."""
    anchor = current_anchor()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(anchor, indent=2, sort_keys=True) + "\n")
    return anchor


def parse_anchor(data: Any, where: str) -> Anchor:
    """An anchor from its mapping; raise AuditError naming ``where`` when it is malformed."""
    if not isinstance(data, dict) or data.get("type") != ANCHOR_TYPE:
        raise AuditError(f"{where} is not a Vigil audit anchor.")
    values: dict[str, Any] = {}
    for name, kind in FIELDS.items():
        value = data.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise AuditError(f"{where}: field {name!r} is missing or not a {kind.__name__}.")
        values[name] = value
    if values["size"] < 0:
        raise AuditError(f"{where}: field 'size' is negative.")
    return Anchor(source=where, **values)


def _anchors_in(data: Any, where: str) -> list[Anchor]:
    if isinstance(data, dict) and data.get("type") == ANCHOR_TYPE:
        return [parse_anchor(data, where)]
    if isinstance(data, dict) and "audit_anchor" in data:  # a backup manifest
        return [parse_anchor(data["audit_anchor"], f"{where} (audit_anchor)")]
    raise AuditError(
        f"{where} holds no Vigil audit anchor (expected an anchor, or a backup manifest "
        "with an audit_anchor)."
    )


def read_anchors(path: Path) -> list[Anchor]:
    """The anchors in a file: one anchor, a backup manifest, or JSON lines of anchors."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise AuditError(f"Cannot read the anchor file {path}: {reason}.") from exc
    try:
        return _anchors_in(json.loads(text), path.name)
    except json.JSONDecodeError:
        pass
    result = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name} line {number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise AuditError(f"{where} is not JSON.") from exc
        result.extend(_anchors_in(data, where))
    if not result:
        raise AuditError(f"{path.name} holds no Vigil audit anchor.")
    return result


def logged_anchors() -> list[Anchor]:
    """The anchors carried by export and backup entries of the log itself."""
    result = []
    for entry in AuditEntry.objects.filter(event__in=ANCHORED_EVENTS).order_by("seq"):
        data = entry.meta.get("anchor") if isinstance(entry.meta, dict) else None
        if data is not None:
            result.append(parse_anchor(data, f"audit entry {entry.seq} ({entry.event})"))
    return result
