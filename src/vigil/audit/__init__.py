"""The tamper-evident audit log: a hash chain, a Merkle tree and signed checkpoints."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vigil.audit.models import AuditEntry


def audit(event: str, *, actor: Any = None, obj: Any = None, **meta: Any) -> AuditEntry:
    """Append one entry to the audit log (see :func:`vigil.audit.log.audit`)."""
    # Imported late so that `from vigil.audit import audit` works before apps are loaded.
    from vigil.audit.log import audit as append

    return append(event, actor=actor, obj=obj, **meta)


__all__ = ["audit"]
