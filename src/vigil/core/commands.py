"""Base class for Vigil's management commands: a CLI change context and clean errors."""

from __future__ import annotations

import sys
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand

from vigil.core.context import change_context


class VigilCommand(BaseCommand):
    """Runs ``handle`` inside a CLI change context; VigilError reaches the user as a message."""

    requires_system_checks: list[str] = []

    def execute(self, *args: Any, **options: Any) -> Any:
        detail = " ".join(sys.argv[1:3]) if sys.argv else self.__class__.__module__
        appended = _audit_appended()
        with change_context("cli", detail=f"vigil {detail}"[:200]):
            result = super().execute(*args, **options)
        if _audit_appended() > appended:  # the command wrote audit entries: anchor them
            from vigil.audit.shutdown import checkpoint_at_shutdown

            checkpoint_at_shutdown()
        return result


def _audit_appended() -> int:
    """Audit entries this process has appended (0 when the audit app is not installed)."""
    if not apps.is_installed("vigil.audit"):
        return 0
    from vigil.audit.log import appended_in_process

    return appended_in_process()
