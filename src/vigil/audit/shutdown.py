"""A checkpoint at clean shutdown: the server and commands anchor the entries they wrote.

Between the count- and time-based checkpoints, the newest entries are covered only by the
head row, which a forger can rewrite. A process that appended entries signs a checkpoint of
the head as it stops, so a clean stop never leaves its own entries unanchored.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DatabaseError

from vigil.audit.checkpoints import checkpoint_if_behind
from vigil.audit.log import appended_in_process
from vigil.audit.models import AuditCheckpoint
from vigil.core.errors import VigilError

logger = logging.getLogger(__name__)

__all__ = [
    "appended_in_process",
    "checkpoint_after_command",
    "checkpoint_at_shutdown",
    "gunicorn_on_exit",
]


def checkpoint_at_shutdown() -> AuditCheckpoint | None:
    """Sign a checkpoint if the log grew past the last one; warn (never raise) on failure.

    A shutdown that fails because the checkpoint could not be signed would lose nothing the
    log holds, so the failure is reported and the process still exits.
    """
    try:
        return checkpoint_if_behind()
    except (VigilError, DatabaseError, OSError) as exc:
        logger.warning("No audit checkpoint at shutdown: %s", getattr(exc, "message", exc))
        return None


def gunicorn_on_exit(server: Any) -> None:
    """gunicorn's ``on_exit`` hook: runs in the master after every worker has stopped."""
    checkpoint_at_shutdown()


@contextmanager
def checkpoint_after_command() -> Iterator[None]:
    """Around a Vigil command: sign a checkpoint when the command appended audit entries."""
    appended = appended_in_process()
    yield
    if appended_in_process() > appended:  # the command wrote audit entries: anchor them
        checkpoint_at_shutdown()
