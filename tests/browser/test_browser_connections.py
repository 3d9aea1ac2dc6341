"""A browser test's own ORM calls leave no database connection open once its browser closes."""

import asyncio
import time

import pytest
from django.db import connection, connections

from tests.browser.helpers import chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _backend_alive(pid: int) -> bool:
    """Whether PostgreSQL still has a session with backend ``pid`` (it goes a moment after its
    client closed it)."""
    deadline = time.monotonic() + 5
    while True:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            (alive,) = cursor.fetchone()
        if not alive or time.monotonic() > deadline:
            return bool(alive)
        time.sleep(0.05)


def test_orm_calls_between_browser_calls_are_closed_with_the_browser(monkeypatch):
    from vigil.accounts.models import User

    ours = connections["default"]
    with chromium() as browser:
        page = browser.new_page()
        page.set_content("<main><h1>Fictional</h1></main>")
        # Playwright leaves its loop marked running between calls: Django's connections are
        # then the loop context's, not the ones pytest-django closes after the test.
        asyncio.get_running_loop()
        monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
        assert User.objects.filter(username="fictional-nobody").count() == 0
        body = connections["default"]
        assert body is not ours and body.connection is not None
        pid = body.connection.info.backend_pid if body.vendor == "postgresql" else None
        page.close()
        monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE")  # as a fixture's teardown may undo it
    assert body.connection is None
    if pid is not None:
        assert not _backend_alive(pid)
