"""Data built once per test module and rolled back after it (Django's ``setUpTestData``).

A module-scoped fixture opens a transaction with ``built_once``, writes its data and yields;
every test of the module then runs inside that transaction (pytest-django's ``db`` opens a
savepoint per test, so what a test writes is undone after it), and the whole transaction is
rolled back when the module ends. Tests must re-read shared rows (``refreshed``) rather than
reuse the in-memory objects, which an earlier test may have changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import transaction

M = TypeVar("M")


@contextmanager
def built_once(django_db_blocker: Any) -> Iterator[None]:
    """Open the module's transaction; everything written inside is rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)


def refreshed(obj: M) -> M:
    """A fresh copy of a model instance from the database."""
    return type(obj)._default_manager.get(pk=obj.pk)  # type: ignore[attr-defined,no-any-return]
