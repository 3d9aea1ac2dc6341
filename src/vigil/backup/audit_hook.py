"""Key operations and backups go to the audit log when the audit app is installed."""

from __future__ import annotations

from typing import Any

from django.apps import apps


def audit_event(event: str, **meta: Any) -> None:
    """Append ``event`` to the audit log, if Vigil's audit log is installed."""
    if not apps.is_installed("vigil.audit"):
        return
    from vigil.audit import audit

    audit(event, **meta)


def head_anchor() -> dict[str, Any] | None:
    """The signed anchor of the audit head (see vigil.audit.anchors), if the log is installed."""
    if not apps.is_installed("vigil.audit"):
        return None
    from vigil.audit.anchors import current_anchor

    return current_anchor()
