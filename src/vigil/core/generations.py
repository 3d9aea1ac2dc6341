"""Shared generations: what lets a per-process cache stay correct when another host writes.

A cache keyed by ``current(NAME)`` is read again after any process, on any host, called
``bump(NAME)``: the counter lives in the database every host shares (one primary-key read).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from vigil.core.models import Generation
from vigil.core.statements import Statement

# Read on every list page: compiled once per process and database (``vigil.core.statements``).
_CURRENT = Statement(
    Generation,
    [Generation._meta.get_field("key")],
    lambda name: Generation.objects.filter(key=name).order_by("key").values_list("value")[:1],
)


def current(name: str) -> int:
    """The generation of ``name`` now (0 before its first bump)."""
    found = _CURRENT.rows(name)
    return int(found[0][0] or 0) if found else 0


def bump(name: str) -> None:
    """Start a new generation of ``name``, for every process on every host."""
    if Generation.objects.filter(key=name).update(value=F("value") + 1):
        return
    try:
        with transaction.atomic():
            Generation.objects.create(key=name, value=1)
    except IntegrityError:  # another process created it at the same moment
        Generation.objects.filter(key=name).update(value=F("value") + 1)


def bump_after_commit(name: str) -> None:
    """Bump ``name`` once the current transaction commits (at once outside one).

    After the commit, so a long import holds no lock on the counter row and no host reads
    the new generation before the change it announces is visible.
    """
    transaction.on_commit(lambda: bump(name), robust=True)
