"""A thin adapter to the audit log: records an event when `vigil.audit` is installed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps

if TYPE_CHECKING:
    from vigil.accounts.types import AnyUser


def audit(event: str, *, actor: AnyUser = None, obj: Any = None, **meta: Any) -> None:
    """Append ``event`` to the audit log, or do nothing while the audit app is not installed."""
    if not apps.is_installed("vigil.audit"):
        return
    from vigil.audit.services import audit as append

    append(event, actor=actor, obj=obj, **meta)
