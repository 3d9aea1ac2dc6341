"""The demo administrator and terminal QR code; the audit adapter without the audit app."""

from __future__ import annotations

import pyotp
import pytest
from django.contrib.auth import authenticate

from vigil.accounts import auditing, totp
from vigil.accounts.demo import create_demo_admin, terminal_qr

pytestmark = pytest.mark.django_db


def test_demo_admin_signs_in_with_the_printed_password_and_totp():
    user, password, secret, uri = create_demo_admin("fictional-demo")
    assert user.role == "admin" and user.is_superuser
    assert authenticate(username="fictional-demo", password=password) == user
    assert uri.startswith("otpauth://totp/Vigil:fictional-demo?") and f"secret={secret}" in uri
    device = totp.confirmed_device(user)
    assert device is not None
    assert totp.verify(device, pyotp.TOTP(secret).now())


def test_terminal_qr_draws_the_uri_with_unicode_blocks():
    drawing = terminal_qr("otpauth://totp/Vigil:fictional?secret=JBSWY3DPEHPK3PXP&issuer=Vigil")
    lines = drawing.strip("\n").splitlines()
    assert len(lines) > 10
    assert set("".join(lines)) <= set("█▀▄ \x1b[0m")
    assert "▀" in drawing or "▄" in drawing


def test_audit_adapter_does_nothing_while_the_audit_app_is_absent(settings):
    settings.INSTALLED_APPS = [a for a in settings.INSTALLED_APPS if a != "vigil.audit"]
    assert auditing.audit("login", actor=None, method="totp") is None
