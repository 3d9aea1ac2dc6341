"""Checkpoints: signed tree heads, stored in the database and exported off-host as JSON lines."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rfc8785
from django.db import transaction
from django.utils import timezone

from vigil.audit.chain import canonical_time
from vigil.audit.errors import AuditError
from vigil.audit.merkle import frontier_root
from vigil.audit.models import AuditCheckpoint, AuditHead
from vigil.audit.signing import sign, signature_valid

STATEMENT_TYPE = "vigil-audit-checkpoint"
STATEMENT_VERSION = 1


def statement(size: int, root: str, at: str) -> bytes:
    """The exact bytes a checkpoint signature covers (RFC 8785 canonical JSON)."""
    return rfc8785.dumps(
        {"type": STATEMENT_TYPE, "v": STATEMENT_VERSION, "size": size, "root": root, "at": at}
    )


@dataclass(frozen=True)
class SignedCheckpoint:
    """A checkpoint from the database or from an exported file, ready to be verified."""

    size: int
    root: str
    at: str
    public_key: str
    signature: str
    source: str

    def signature_ok(self) -> bool:
        """Whether the signature covers this size, root and time under ``public_key``."""
        return signature_valid(
            self.public_key, statement(self.size, self.root, self.at), self.signature
        )

    def as_line(self) -> dict[str, Any]:
        """The JSON object written for this checkpoint in an export."""
        return {
            "type": STATEMENT_TYPE,
            "v": STATEMENT_VERSION,
            "size": self.size,
            "root": self.root,
            "at": self.at,
            "public_key": self.public_key,
            "signature": self.signature,
        }

    @classmethod
    def from_row(cls, row: AuditCheckpoint) -> SignedCheckpoint:
        """The checkpoint stored in a database row."""
        return cls(
            size=row.size,
            root=row.root_hash,
            at=canonical_time(row.at),
            public_key=row.public_key,
            signature=row.signature,
            source="database",
        )


def checkpoint_head(head: AuditHead, at: dt.datetime | None = None) -> AuditCheckpoint:
    """Sign and store the tree head of ``head`` (the caller holds the head's lock)."""
    at = at or timezone.now()
    root = frontier_root([bytes.fromhex(h) for h in head.frontier]).hex()
    public_key, signature = sign(statement(head.size, root, canonical_time(at)))
    checkpoint = AuditCheckpoint.objects.create(
        size=head.size, root_hash=root, at=at, public_key=public_key, signature=signature
    )
    if head.checkpoint_at != at:  # restarts the clock of time-based checkpoints
        AuditHead.objects.filter(pk=head.pk).update(checkpoint_at=at)
        head.checkpoint_at = at
    return checkpoint


def create_checkpoint() -> AuditCheckpoint:
    """Sign and store a checkpoint of the log as it is now."""
    from vigil.audit.log import locked_head

    with transaction.atomic():
        return checkpoint_head(locked_head())


def checkpoint_if_behind() -> AuditCheckpoint | None:
    """Sign a checkpoint when entries were appended since the last one; else do nothing."""
    from vigil.audit.log import locked_head

    with transaction.atomic():
        head = locked_head()
        last = AuditCheckpoint.objects.order_by("-id").values_list("size", flat=True).first()
        if head.size == 0 or (last is not None and last >= head.size):
            return None
        return checkpoint_head(head)


def stored_checkpoints() -> list[SignedCheckpoint]:
    """Every checkpoint in the database, smallest size first."""
    return [SignedCheckpoint.from_row(r) for r in AuditCheckpoint.objects.order_by("size", "id")]


def export_checkpoints(path: Path) -> int:
    """Write every stored checkpoint to ``path`` as JSON lines; return how many."""
    checkpoints = stored_checkpoints()
    text = "".join(rfc8785.dumps(c.as_line()).decode() + "\n" for c in checkpoints)
    partial = path.with_name(path.name + ".partial")
    # Written beside the target and renamed, so an interrupted export leaves the old file whole.
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
    return len(checkpoints)


def _field(data: dict[str, Any], name: str, kind: type, where: str) -> Any:
    value = data.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise AuditError(f"{where}: field {name!r} is missing or not a {kind.__name__}.")
    return value


def read_checkpoints(path: Path) -> list[SignedCheckpoint]:
    """The checkpoints in an exported JSON-lines file; raise on a malformed line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise AuditError(f"Cannot read the checkpoint file {path}: {exc.strerror}.") from exc
    result = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path.name} line {number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise AuditError(f"{where} is not JSON.") from exc
        if not isinstance(data, dict) or data.get("type") != STATEMENT_TYPE:
            raise AuditError(f"{where} is not a Vigil audit checkpoint.")
        result.append(
            SignedCheckpoint(
                size=_field(data, "size", int, where),
                root=_field(data, "root", str, where),
                at=_field(data, "at", str, where),
                public_key=_field(data, "public_key", str, where),
                signature=_field(data, "signature", str, where),
                source=where,
            )
        )
    return result
