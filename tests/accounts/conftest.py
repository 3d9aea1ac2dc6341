"""Fixtures for accounts: visibly fictional users, an enrolled authenticator, code helpers."""

from __future__ import annotations

import time
from collections.abc import Callable

import pyotp
import pytest
from django.utils import timezone

from vigil.accounts.models import Role, TOTPDevice, User

PASSWORD = "fictional correct horse battery staple"  # noqa: S105 - test-only credential


@pytest.fixture(autouse=True)
def hashers(fast_password_hashing: None) -> None:
    """A fast hasher for tests about other things; modules about hashing override this fixture."""


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    """Create a fictional user (names say they are fictional)."""

    def make(username: str = "fictional-analyst", role: str = Role.ANALYST) -> User:
        return User.objects.create_user(username, "", PASSWORD, role=role)

    return make


@pytest.fixture
def user(make_user) -> User:
    return make_user()


@pytest.fixture
def device(user) -> TOTPDevice:
    """A confirmed authenticator for ``user``."""
    return TOTPDevice.objects.create(
        user=user, secret=pyotp.random_base32(32), confirmed_at=timezone.now()
    )


def _code_at(device: TOTPDevice, at: float | None = None) -> str:
    return pyotp.TOTP(device.secret).at(time.time() if at is None else at)


def _next_code(device: TOTPDevice) -> str:
    totp = pyotp.TOTP(device.secret)
    device.refresh_from_db()
    step = max(totp.timecode(time.time()), device.last_used_step + 1)
    return totp.generate_otp(step)


@pytest.fixture
def code_at() -> Callable[..., str]:
    """The code the user's app shows at a given time (now by default)."""
    return _code_at


@pytest.fixture
def next_code() -> Callable[[TOTPDevice], str]:
    """A valid code the device has not accepted yet (the next time-step if needed)."""
    return _next_code


@pytest.fixture
def sign_in() -> Callable[..., object]:
    """Post user name and password to the sign-in page."""

    def post(client, user: User, password: str = PASSWORD, next_url: str = "", **extra):
        data = {"username": user.username, "password": password}
        if next_url:
            data["next"] = next_url
        return client.post("/accounts/login/", data, **extra)

    return post
