"""Alert settings and international dates in Chromium: choose the daily digest, create the Atom
feed address and read it, add a UN session to the calendar; the pages in English and Belarusian
at 1366 and 390 px, nothing wider than the screen."""

import datetime as dt
import urllib.request
import xml.etree.ElementTree as ET

import pytest

from tests.browser.helpers import shot, sign_in
from vigil.core.context import change_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"1366": (1366, 900), "390": (390, 844)}
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def admin():  # type: ignore[no-untyped-def]
    from vigil.accounts.demo import create_demo_admin

    with change_context("test"):
        user, password, secret, _ = create_demo_admin("alerts-walker")
    user.email = "alerts-walker@example.org"
    user.save(update_fields=["email"])
    return user, password, secret


def _overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_a_user_chooses_the_digest_reads_the_feed_and_adds_a_un_session(
    admin, live_server, browser, monkeypatch
):
    # Playwright's sync API runs an event loop in this thread; the test's own reads of the
    # database happen between page loads, never concurrently with them.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    from vigil.alerts.digest import cadence_of
    from vigil.solidarity.models import InternationalDate

    user, password, secret = admin
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, user.username, password, secret)
    page.goto(live_server.url + "/alerts/")
    page.click("text=Notification settings: e-mail digest and feed")
    page.check("#cadence-daily")
    page.click("section[aria-labelledby=email-title] button[type=submit]")
    page.wait_for_load_state()
    assert "Your e-mail setting is saved." in page.inner_text("main")
    assert cadence_of(user) == "daily"
    page.click("text=Create a feed address")
    page.wait_for_load_state()
    address = page.inner_text("section[aria-labelledby=feed-title] code").strip()
    assert address.endswith(".atom")
    with urllib.request.urlopen(address, timeout=10) as response:  # noqa: S310 - the live server
        root = ET.fromstring(response.read())
    assert root.tag == f"{ATOM}feed"

    page.goto(live_server.url + "/calendar/")
    soon = dt.date.today() + dt.timedelta(days=20)
    page.fill("#id_date", soon.isoformat())
    page.select_option("#id_kind", "un_session")
    page.fill("#id_title", "Fictional session of a fictional UN body")
    page.click("section[aria-labelledby=dates-title] form.entry-form button[type=submit]")
    page.wait_for_load_state()
    assert InternationalDate.objects.count() == 1
    assert "UN session: Fictional session of a fictional UN body" in page.inner_text("main table")
    for language in ("en", "be"):
        user.language = language
        user.save(update_fields=["language"])
        for width, (w, h) in WIDTHS.items():
            page.set_viewport_size({"width": w, "height": h})
            for path, name in (("/alerts/settings/", "alert-settings"), ("/calendar/", "calendar")):
                page.goto(live_server.url + path)
                assert _overflow(page) <= 0, (path, language, width)
                shot(page, f"{name}-{language}-{width}")
    context.close()
