"""Base class for Vigil's management commands: a CLI change context and clean errors."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from vigil.core.context import change_context


class VigilCommand(BaseCommand):
    """Runs ``handle`` inside a CLI change context; VigilError reaches the user as a message."""

    requires_system_checks: list[str] = []

    def execute(self, *args: Any, **options: Any) -> Any:
        detail = " ".join(sys.argv[1:3]) if sys.argv else self.__class__.__module__
        with change_context("cli", detail=f"vigil {detail}"[:200]):
            return super().execute(*args, **options)
