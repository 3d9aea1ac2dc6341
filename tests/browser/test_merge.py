"""Merging two fictional duplicates and attaching evidence, in Debian's Chromium."""

import hashlib

import pytest

from tests.browser.helpers import shot, sign_in
from tests.web.merging.conftest import make_duplicates
from vigil.core.context import change_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def merge_urls(settings):
    """Mount the merge pages at /merge/ as the lead will."""
    settings.ROOT_URLCONF = "tests.web.merging.urls"


@pytest.fixture
def admin():
    from vigil.accounts.demo import create_demo_admin

    # Before the browser starts: Playwright's event loop makes the ORM refuse to run.
    with change_context("test"):
        user, password, secret, _ = create_demo_admin("merger")
    return user, password, secret


@pytest.fixture
def signed_in_page(admin, live_server, browser):
    user, password, secret = admin
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, live_server.url, user.username, password, secret)
    return page


@pytest.fixture
def dups():
    with change_context("test"):
        return make_duplicates()


def test_merge_two_fictional_duplicates_with_a_reason(dups, signed_in_page, live_server):
    page = signed_in_page
    page.goto(live_server.url + "/merge/")
    table = page.inner_text("main table")
    assert "Zmitser Testovich" in table and "Змітцер Тэставіч" in table
    page.click("main table a.button")
    page.wait_for_load_state()
    assert "Fictional monitoring report" in page.inner_text("main")
    shot(page, "merge-compare")
    page.check(f"input[name=keep][value='{dups.latin.pk}']")
    page.fill("textarea[name=reason]", "Same fictional defender, Latin and Cyrillic spellings")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.url.rstrip("/").endswith(str(dups.latin.pk))
    body = page.inner_text("main")
    assert "Zmitser Testovich" in body and "Змітцер Тэставіч" in body
    assert "was merged into" in body
    shot(page, "merge")
    page.goto(f"{live_server.url}/merge/person/{dups.cyrillic.pk}/")
    assert "Same fictional defender" in page.inner_text("main")


def test_attach_a_file_and_read_its_sha256(dups, signed_in_page, live_server):
    page = signed_in_page
    data = b"Fictional statement of a fictional witness.\n" * 2000
    page.goto(f"{live_server.url}/evidence/attach/person/{dups.latin.pk}/")
    page.fill("textarea[name=description]", "Fictional written statement")
    page.fill("input[name=new_source_title]", "Fictional statement, March 2021")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "statement.txt", "mimeType": "text/plain", "buffer": data}],
    )
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "/custody/" in page.url
    assert page.inner_text("#sha256").strip() == hashlib.sha256(data).hexdigest()
    assert "ingest" in page.inner_text("main table")
    shot(page, "evidence-upload")
