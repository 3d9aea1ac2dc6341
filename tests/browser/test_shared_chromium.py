"""The one Chromium a test process shares between its browser tests: each test's contexts are
its own (no cookie or storage carries over), no event loop is left running between tests, a
Chromium that died is replaced, and stopping it leaves no process behind."""

import asyncio
import os
import signal
import time
from pathlib import Path

import pytest

from tests.browser import chromium_server
from tests.browser.helpers import CHROMIUM, chromium

pytestmark = pytest.mark.browser

PAGE = "http://fictional-site.test/"


def _serve_fictional_page(context_or_page) -> None:
    """Answer every request of it with one small page (no server, no network)."""
    context_or_page.route(
        "**/*",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<p>Fictional</p>"),
    )


def _no_loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return True
    return False


def test_a_cookie_or_storage_set_in_one_tests_context_is_not_seen_by_the_next_tests():
    server = chromium_server.shared(CHROMIUM)
    with chromium() as browser:
        context = browser.new_context()
        _serve_fictional_page(context)
        page = context.new_page()
        page.goto(PAGE)
        page.evaluate("document.cookie = 'session=fictional-1; path=/'")
        page.evaluate("localStorage.setItem('draft', 'fictional')")
        assert [c["value"] for c in context.cookies()] == ["fictional-1"]
        first_pid = server.process.pid
    assert _no_loop_running()
    with chromium() as browser:
        assert server.process.pid == first_pid  # the same Chromium, not a new one
        context = browser.new_context()
        for page in (context.new_page(), browser.new_page()):  # the latter: a context of its own
            _serve_fictional_page(page)
            page.goto(PAGE)
            assert page.context.cookies() == []
            assert page.evaluate("document.cookie") == ""
            assert page.evaluate("localStorage.getItem('draft')") is None
    assert _no_loop_running()


def test_a_chromium_that_died_is_replaced_for_the_next_test():
    server = chromium_server.shared(CHROMIUM)
    with chromium() as browser:
        browser.new_page().set_content("<p>Fictional</p>")
    dead = server.process.pid
    os.killpg(dead, signal.SIGKILL)
    server.process.wait()
    starts = server.starts
    with chromium() as browser:
        page = browser.new_page()
        page.set_content("<h1>Fictional</h1>")
        assert page.inner_text("h1") == "Fictional"
    assert server.starts == starts + 1
    assert server.process.pid != dead


def test_stopping_the_chromium_kills_its_processes_and_deletes_its_profile():
    server = chromium_server.ChromiumServer(CHROMIUM)
    server.endpoint()
    pid, profile = server.process.pid, Path(server.profile)
    assert profile.is_dir()
    server.stop()
    assert not profile.exists()
    deadline = time.monotonic() + 10  # its helpers are killed too; init reaps them
    while _group_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _group_alive(pid)


def _group_alive(pgid: int) -> bool:
    """Whether a process of group ``pgid`` is still running (zombies awaiting reaping not
    counted)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False
