"""A person's first minutes with Vigil, in Debian's Chromium driven by Playwright."""

import pyotp
import pytest

from tests.browser.helpers import shot
from vigil.core.context import change_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def documenter(shared_data):
    from vigil.accounts.demo import create_demo_admin
    from vigil.importers.viasna import import_viasna

    with change_context("test"):
        import_viasna(shared_data / "viasna" / "prisoners_sample.csv")
        user, password, secret, _ = create_demo_admin("walker")
    return user, password, secret


def test_sign_in_with_totp_find_a_prisoner_and_read_the_timeline(documenter, live_server, browser):
    user, password, secret = documenter
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    assert "/accounts/2fa/" in page.url
    page.fill("input[name=code]", pyotp.TOTP(secret).now())
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.url.rstrip("/") == live_server.url
    shot(page, "home")
    page.goto(live_server.url + "/persons/?q=Chapiuk")
    page.click("text=Andrei Chapiuk")
    page.wait_for_load_state()
    body = page.inner_text("main")
    assert "Arrest" in body and "Conviction and sentence" in body
    assert body.index("Arrest") < body.index("Conviction and sentence")
    assert "role not confirmed" in body
    shot(page, "person")


def test_a_password_alone_opens_nothing(documenter, live_server, browser):
    user, password, _ = documenter
    page = browser.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.goto(live_server.url + "/persons/")
    assert "/persons/" not in page.url or "/accounts/" in page.url
