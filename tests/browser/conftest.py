"""Browser fixtures: Debian's Chromium under Playwright, a documenter with TOTP."""

import secrets

import pyotp
import pytest
from django.utils import timezone

from tests.browser.helpers import chromium


@pytest.fixture(scope="session")
def node_compile_cache(tmp_path_factory):
    """One folder per test process for Node's compile cache of Playwright's driver."""
    return tmp_path_factory.mktemp("node-compile-cache")


@pytest.fixture
def browser(node_compile_cache):
    """Debian's Chromium (helpers.chromium: it closes the connections the test's body opened)."""
    with chromium(node_compile_cache) as b:
        yield b


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
