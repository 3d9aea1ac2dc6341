"""Browser test helpers: where Chromium is, sign-in with TOTP, screenshots."""

import shutil
from pathlib import Path

import pyotp
from django.utils import translation

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def shot(page, name: str) -> None:
    """Save a full-page screenshot under test-artifacts/screenshots for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(page, base_url: str, username: str, password: str, secret: str) -> None:
    """Sign in through the real login and 2FA forms."""
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.fill("input[name=code]", pyotp.TOTP(secret).now())
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def in_language(language: str, text: str) -> str:
    """``text`` as the catalogue of ``language`` gives it (what the page should show)."""
    with translation.override(language):
        return translation.gettext(text)


def choose_language(page, language: str) -> None:
    """Switch the page to ``language`` with the language menu, as a person does, and wait
    for the page it loads."""
    page.select_option("#lang-select", language)
    page.click(".lang-form button[type=submit]")
    page.wait_for_load_state()


def assert_fits(page, what: str) -> None:
    """The page is no wider than its window (no sideways scrolling, at 390 px above all)."""
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{what} overflows by {overflow}px"
