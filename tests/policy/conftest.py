"""The policy tests' users: one per role (tests/conftest.py), plus an outsider colleague."""

from __future__ import annotations

import pytest


@pytest.fixture
def extra_users() -> dict[str, str]:
    """A second documenter ("colleague")."""
    return {"colleague": "documenter"}
