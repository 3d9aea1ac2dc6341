"""An evidence file's handling log: one append-only entry per ingest, access, share and check.

Users read it as the file's *chain of custody* (the legal term the page and the CLI show); in
code "custody" is a person's detention only. Entries are stored as ``CustodyEvent`` rows, the
model's released name, kept for its table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from vigil.audit.services import audit
from vigil.core.context import current_context
from vigil.records.models import CustodyEvent, Evidence

if TYPE_CHECKING:
    from vigil.accounts.types import User

INGEST = "ingest"
VIEW = "view"
DOWNLOAD = "download"
EXPORT = "export"
SHARE = "share"
VERIFY = "verify"
ACTIONS = (INGEST, VIEW, DOWNLOAD, EXPORT, SHARE, VERIFY)


def record_handling(
    evidence: Evidence, action: str, *, actor: User | None = None, sha256: str = ""
) -> CustodyEvent:
    """Append a handling-log entry (and an audit entry) for ``action`` on ``evidence``."""
    if action not in ACTIONS:
        raise ValueError(f"unknown handling action {action!r}; expected one of {ACTIONS}")
    ctx = current_context()
    actor_id = getattr(actor, "pk", None) if actor is not None else ctx.actor_id
    with transaction.atomic():
        event = CustodyEvent.objects.create(
            evidence=evidence,
            action=action,
            actor_id=actor_id,
            context_kind=ctx.kind,
            sha256=sha256,
        )
        audit("evidence_access", actor=actor, obj=evidence, action=action)
    return event


def handling_log(evidence: Evidence) -> list[CustodyEvent]:
    """The handling log of ``evidence``: every entry, oldest first."""
    return list(CustodyEvent.objects.filter(evidence=evidence).order_by("at", "id"))
