"""Fictional users of every role, a fictional beneficiary, and helpers acting as a user."""

from __future__ import annotations

import uuid

import pytest


@pytest.fixture
def user_prefix() -> str:
    """Usernames of the protection tests' users."""
    return "fictional-protect-"


@pytest.fixture
def extra_users() -> dict[str, str]:
    """A second coordinator and a second documenter (colleague)."""
    return {"coordinator2": "coordinator", "colleague": "documenter"}


@pytest.fixture
def canary() -> str:
    """A fictional beneficiary's name no page, export or log may show to the ungranted."""
    return f"Fictionalia Canarevich {uuid.uuid4().hex[:10]}"
