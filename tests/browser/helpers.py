"""Browser test helpers: Chromium under Playwright, sign-in with TOTP, screenshots."""

import asyncio
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pyotp
import pytest
from django.db import connections
from django.utils import translation

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium under Playwright's sync API; on the way out it also closes the database
    connections the test's own ORM calls opened between browser calls.

    Between its sync calls Playwright leaves its event loop set as this thread's running loop
    (``wait_for_future`` in ``playwright/_impl/_greenlets.py``), and Django's ``connections`` is
    an asgiref ``Local(thread_critical=True)``: thread-local storage while no loop runs, a
    context variable of the thread while one does. So a browser test's ORM calls in its body
    get connection objects of their own, which pytest-django never sees: it closes the test's
    connections after the browser has gone and the loop is unset. On PostgreSQL that session
    stayed open until the process ended, and dropping the test database at the end of the run
    failed with "database … is being accessed by other users".
    """
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is required for browser tests (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield browser
        finally:
            try:
                close_connections_under_the_loop()
            finally:
                browser.close()


def close_connections_under_the_loop() -> None:
    """Close the connections Django keeps for this thread while an event loop is marked running
    in it (Playwright's, between sync calls); nothing when none is: then ``connections`` would
    be the test's own, which pytest-django closes (or rolls back) itself."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    # A connection could only have been opened with this set; a test that set it for its body
    # may already have had it undone by the time its browser closes.
    with mock.patch.dict(os.environ, {"DJANGO_ALLOW_ASYNC_UNSAFE": "1"}):
        connections.close_all()


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
