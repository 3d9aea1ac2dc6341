"""Browser fixtures: Debian's Chromium under Playwright, a documenter with TOTP."""

import secrets
from pathlib import Path

import pyotp
import pytest
from django.utils import timezone

from tests.browser.helpers import CHROMIUM


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is required for browser tests (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


@pytest.fixture
def documenter():
    """A fictional documenter with a confirmed TOTP device: (user, password, TOTP secret)."""
    from vigil.accounts.models import Role, TOTPDevice, User

    password = secrets.token_urlsafe(16)
    user = User.objects.create_user("fictional-documenter", "", password, role=Role.DOCUMENTER)
    device = TOTPDevice.objects.create(
        user=user, secret=pyotp.random_base32(32), confirmed_at=timezone.now()
    )
    return user, password, device.secret
