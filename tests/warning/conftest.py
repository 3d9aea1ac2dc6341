"""Fixtures for the stored-risk tests: users of each role and the planted synthetic record."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from vigil.accounts.models import User


def make(name: str, role: str, email: str = "") -> User:
    return User.objects.create_user(name, email, None, role=role)


def make_risk_users() -> dict[str, User]:
    """One fictional user per role; the analyst plants the record."""
    return {
        role: make(f"fictional-{role}", role, f"{role}@example.org")
        for role in ("admin", "coordinator", "analyst", "documenter", "viewer")
    }


def plant_record() -> None:
    """The planted synthetic record (120 persons, seed 4), written by the analyst."""
    call_command("warning", "plant", "--persons", "120", "--seed", "4",
                 acting_user="fictional-analyst", stdout=StringIO())  # fmt: skip


@pytest.fixture
def risk_users(db) -> dict[str, User]:
    return make_risk_users()


@pytest.fixture
def planted_record(risk_users) -> dict[str, User]:
    plant_record()
    return risk_users
