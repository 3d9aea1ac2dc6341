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
# Debian's Chromium through a launcher that merges the --disable-features lists (Chromium reads
# only the last one given, and Playwright gives its own).
LAUNCHER = Path(__file__).with_name("chromium-features")
# Chromium 156 loads the address bar's two WebUI popups (chrome://omnibox-popup.top-chrome/)
# in a renderer of their own for every browser window, headless or not: about 0.35 s of CPU
# per window, for a bar no test has.
SWITCHES = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup",
]
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@contextmanager
def chromium(node_cache: Path | None = None) -> Iterator[Any]:
    """Debian's Chromium under Playwright's sync API; on the way out it also closes the database
    connections the test's own ORM calls opened between browser calls. ``node_cache``: a folder
    for Node's compile cache (``NODE_COMPILE_CACHE``), so that Playwright's driver, started for
    each test, does not compile its JavaScript again each time (about 0.08 s of CPU a start).

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
    cache = {"NODE_COMPILE_CACHE": str(node_cache)} if node_cache is not None else {}
    with mock.patch.dict(os.environ, cache):  # read by the driver when it starts
        p = sync_api.sync_playwright().start()
    try:
        browser = p.chromium.launch(executable_path=str(LAUNCHER), args=SWITCHES)
        try:
            yield browser
        finally:
            try:
                close_connections_under_the_loop()
            finally:
                browser.close()
    finally:
        p.stop()


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
    # A refused code (a replay within one 30-second step) leaves the page on the code form,
    # and every page after it would be that form too.
    assert "/accounts/" not in page.url, f"the sign-in did not pass: {page.url}"


def sign_in_by_session(page, base_url: str, user) -> None:
    """Give ``page``'s browser context a session of ``user`` that has passed 2FA, made by the
    product's own sign-in code in this process (``vigil.accounts.testing.login_verified``:
    Django's ``login`` with Vigil's receivers — the session started, indexed and audited —
    then the second factor's mark), as its session cookie. Nothing is loaded: the caller goes
    to its first page. It skips the login and code pages' round trips and the home page the
    forms land on, and uses no TOTP code (a second sign-in in one 30-second step would be a
    replay). For tests whose subject is not signing in; every page family keeps a test that
    signs in through the forms in Chromium (``sign_in``)."""
    from django.conf import settings
    from django.test import Client

    from vigil.accounts.testing import login_verified

    # Playwright's loop is marked running in this thread: these ORM calls are made between
    # browser calls, never alongside them (chromium() closes their connection on the way out).
    with mock.patch.dict(os.environ, {"DJANGO_ALLOW_ASYNC_UNSAFE": "1"}):
        client = login_verified(Client(), user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
                "httpOnly": True,
                "sameSite": "Strict",
            }
        ]
    )


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
