"""A demo administrator with 2FA already set up, so `vigil demo` can sign in within a minute."""

from __future__ import annotations

import secrets

import pyotp
from django.utils import timezone

from vigil.accounts.models import Role, TOTPDevice, User
from vigil.accounts.totp import provisioning_uri, terminal_qr

__all__ = ["create_demo_admin", "terminal_qr"]


def create_demo_admin(username: str = "demo") -> tuple[User, str, str, str]:
    """Create an administrator with a random password and confirmed TOTP.

    Returns ``(user, password, totp_secret, otpauth_uri)``; print the URI with ``terminal_qr``.
    """
    password = secrets.token_urlsafe(16)
    user = User.objects.create_superuser(username, "", password, role=Role.ADMIN)
    device = TOTPDevice.objects.create(
        user=user, secret=pyotp.random_base32(32), confirmed_at=timezone.now()
    )
    return user, password, device.secret, provisioning_uri(device)
