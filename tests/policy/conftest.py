"""Named test users (one per role, plus an outsider colleague) and a stepped-up request."""

from __future__ import annotations

import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from vigil.accounts.models import User
from vigil.core.context import ChangeContext, change_context

ROLES = ("admin", "coordinator", "analyst", "documenter", "viewer")


def make_user(role: str, name: str | None = None) -> User:
    """A saved active user with ``role`` (names are visibly fictional)."""
    return User.objects.create_user(
        username=name or f"fictional-{role}", password=None, role=role, is_active=True
    )


def stepped_up(user: User) -> Any:
    """A request-like object whose session passed 2FA just now."""
    from vigil.accounts.sessions import VERIFIED_AT

    return SimpleNamespace(user=user, session={VERIFIED_AT: time.time()})


def stale(user: User) -> Any:
    """A request-like object whose last 2FA check was an hour ago."""
    from vigil.accounts.sessions import VERIFIED_AT

    return SimpleNamespace(user=user, session={VERIFIED_AT: time.time() - 3600})


@pytest.fixture
def users(db: Any) -> dict[str, User]:
    """One user per role, plus a second documenter ("colleague")."""
    found = {role: make_user(role) for role in ROLES}
    found["colleague"] = make_user("documenter", "fictional-colleague")
    return found


@pytest.fixture
def ctx() -> Iterator[ChangeContext]:
    """Changes made under a test context with no actor."""
    with change_context("test", detail="policy tests") as c:
        yield c


def as_user(user: User) -> Any:
    """A test change context acting as ``user`` (so records are created by them)."""
    return change_context("test", actor=user, detail="policy tests")
