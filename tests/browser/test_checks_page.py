"""The coordinator's check page in Chromium: every kind loads, in each language, and fits a
phone's width."""

from __future__ import annotations

import secrets

import pyotp
import pytest
from django.utils import timezone

from tests.browser.helpers import SHOTS as HELPER_SHOTS
from tests.browser.helpers import sign_in
from tests.records.test_checks import build_record
from vigil.records.checks import KINDS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Screenshots for a person to look at, beside the other browser tests' (test-artifacts).
SHOTS = HELPER_SHOTS


@pytest.fixture
def coordinator():
    from vigil.accounts.models import Role, TOTPDevice, User

    password = secrets.token_urlsafe(16)
    user = User.objects.create_user(
        "fictional-coordinator", "", password, role=Role.COORDINATOR
    )
    device = TOTPDevice.objects.create(
        user=user, secret=pyotp.random_base32(32), confirmed_at=timezone.now()
    )
    return user, password, device.secret


@pytest.mark.parametrize("language", ["en", "be", "ru"])
def test_every_check_loads_on_the_page_and_fits_a_phone(
    coordinator, live_server, browser, language, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    build_record()
    user, password, secret = coordinator
    user.language = language
    user.save(update_fields=["language"])
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    sign_in(page, live_server.url, user.username, password, secret)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + "/")
        page.click("a[href='/checks/']")
        for kind in KINDS:
            page.wait_for_selector(f"#check-{kind} .tag", timeout=30_000)
        assert page.locator("text=Testa Fictionalia").count() == 1
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{overflow} px wider than the viewport"
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"checks-{language}-{width}.png"), full_page=True)
