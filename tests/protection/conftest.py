"""Fictional users of every role, a fictional beneficiary, and helpers acting as a user."""

from __future__ import annotations

import time
import uuid
from types import SimpleNamespace
from typing import Any

import pytest

from vigil.accounts.models import User
from vigil.core.context import change_context

ROLES = ("admin", "coordinator", "analyst", "documenter", "viewer")


def make_user(role: str, name: str) -> User:
    return User.objects.create_user(username=name, password=None, role=role, is_active=True)


@pytest.fixture
def users(db: Any) -> dict[str, User]:
    """One user per role, a second coordinator and a second documenter (colleague)."""
    found = {role: make_user(role, f"fictional-protect-{role}") for role in ROLES}
    found["coordinator2"] = make_user("coordinator", "fictional-protect-coordinator2")
    found["colleague"] = make_user("documenter", "fictional-protect-colleague")
    return found


@pytest.fixture
def canary() -> str:
    """A fictional beneficiary's name no page, export or log may show to the ungranted."""
    return f"Fictionalia Canarevich {uuid.uuid4().hex[:10]}"


def as_user(user: User) -> Any:
    return change_context("test", actor=user, detail="protection tests")


def stepped_up(user: User) -> Any:
    """A request-like object whose session passed 2FA just now."""
    from vigil.accounts.sessions import VERIFIED_AT

    return SimpleNamespace(user=user, session={VERIFIED_AT: time.time()})
