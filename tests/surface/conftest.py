"""Fixtures for the attack-surface tests: fictional admins with authenticators, a record."""

from __future__ import annotations

from collections.abc import Callable

import pyotp
import pytest
from django.utils import timezone

from vigil.accounts.models import Role, TOTPDevice, User

PASSWORD = "fictional surface pass phrase"  # noqa: S105 - test-only credential


@pytest.fixture(autouse=True)
def hashers(fast_password_hashing: None) -> None:
    """A fast hasher: these tests are not about password hashing."""


@pytest.fixture
def make_admin(db) -> Callable[..., User]:
    """Create a fictional administrator with a confirmed authenticator."""

    def make(username: str, role: str = Role.ADMIN) -> User:
        user = User.objects.create_user(
            username, "", PASSWORD, role=role, is_staff=True, is_superuser=role == Role.ADMIN
        )
        TOTPDevice.objects.create(
            user=user, secret=pyotp.random_base32(32), confirmed_at=timezone.now()
        )
        return user

    return make
