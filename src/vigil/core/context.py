"""Change contexts: every change to a record happens inside one, and the history says which.

A context names its entry point (web request, API call, CLI command, background job,
migration, test), the acting user if any, and a short non-confidential detail such as the
command name. Saving a record with no context raises :class:`MissingChangeContext`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from vigil.core.errors import MissingChangeContext

KINDS = ("web", "api", "cli", "job", "migration", "test", "system")


@dataclass(frozen=True)
class ChangeContext:
    """Who is changing records, through which entry point."""

    kind: str
    actor: Any = None
    detail: str = ""
    id: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def actor_id(self) -> Any:
        return getattr(self.actor, "pk", None)


_current: ContextVar[ChangeContext | None] = ContextVar("vigil_change_context", default=None)


@contextmanager
def change_context(kind: str, *, actor: Any = None, detail: str = "") -> Iterator[ChangeContext]:
    """Run the enclosed changes under a context of ``kind`` (one of KINDS)."""
    if kind not in KINDS:
        raise ValueError(f"unknown change context kind {kind!r}; expected one of {KINDS}")
    ctx = ChangeContext(kind=kind, actor=actor, detail=detail[:200])
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def current_context() -> ChangeContext:
    """The active change context; raises when there is none."""
    ctx = _current.get()
    if ctx is None:
        raise MissingChangeContext(
            "A record was changed outside a change context (web, API, CLI, job, migration "
            "or test). Wrap the change in vigil.core.context.change_context()."
        )
    return ctx


@contextmanager
def without_context() -> Iterator[None]:
    """Run with no active context (to prove that changes then raise)."""
    token = _current.set(None)
    try:
        yield
    finally:
        _current.reset(token)
