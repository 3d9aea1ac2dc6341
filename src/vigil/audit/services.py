"""The audit log's service functions, in one place for the rest of Vigil to import."""

from __future__ import annotations

from vigil.audit.anchors import current_anchor
from vigil.audit.checkpoints import checkpoint_if_behind, create_checkpoint, export_checkpoints
from vigil.audit.log import audit
from vigil.audit.verify import VerifyReport, verify_log

__all__ = [
    "VerifyReport",
    "audit",
    "checkpoint_if_behind",
    "create_checkpoint",
    "current_anchor",
    "export_checkpoints",
    "verify_log",
]
