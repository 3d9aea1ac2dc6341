"""The guard on hard deletes: records refuse them outside a two-admin purge (``vigil.purge``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_hard_delete_allowed: ContextVar[bool] = ContextVar("vigil_hard_delete_allowed", default=False)


@contextmanager
def hard_delete_permitted() -> Iterator[None]:
    """Lift the HardDeleteRefused guard of records, only inside this block (purge only)."""
    token = _hard_delete_allowed.set(True)
    try:
        yield
    finally:
        _hard_delete_allowed.reset(token)


def hard_delete_allowed() -> bool:
    """True inside :func:`hard_delete_permitted`; ``VigilModel.delete`` refuses otherwise."""
    return _hard_delete_allowed.get()
