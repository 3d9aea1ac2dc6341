"""Base class for Vigil's management commands: a CLI change context and clean errors."""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack
from typing import Any

from django.core.management.base import BaseCommand

from vigil.core.context import change_context

# What apps above core wrap around every command, registered in their ``ready()`` (the audit
# log signs a checkpoint after a command that appended entries): core names no app above it.
CommandWrapper = Callable[[], AbstractContextManager[Any]]
_WRAPPERS: list[CommandWrapper] = []


def wrap_commands(wrapper: CommandWrapper) -> None:
    """Run ``wrapper()`` around every Vigil command, outside its change context (once)."""
    if wrapper not in _WRAPPERS:
        _WRAPPERS.append(wrapper)


class VigilCommand(BaseCommand):
    """Runs ``handle`` inside a CLI change context; VigilError reaches the user as a message."""

    requires_system_checks: list[str] = []

    def execute(self, *args: Any, **options: Any) -> Any:
        detail = " ".join(sys.argv[1:3]) if sys.argv else self.__class__.__module__
        with ExitStack() as around:
            for wrapper in _WRAPPERS:
                around.enter_context(wrapper())
            with change_context("cli", detail=f"vigil {detail}"[:200]):
                return super().execute(*args, **options)
