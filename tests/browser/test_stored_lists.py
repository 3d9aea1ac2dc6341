"""Stored lists in Chromium at 1366 and 390 px, in English and Russian: the lists, the column
mapping of an upload, a link run with a pair reviewed side by side, and How many? starting
from stored lists — nothing wider than the screen."""

import datetime as dt

import pytest

from tests.browser.helpers import SHOTS, choose_language, sign_in
from vigil.core.context import change_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"1366": (1366, 900), "390": (390, 844)}


@pytest.fixture
def planted(tmp_path):  # type: ignore[no-untyped-def]
    from tests.counting.test_stored_estimates import fictional_lists
    from vigil.accounts.demo import create_demo_admin
    from vigil.counting.link_runs import run_link
    from vigil.counting.list_import import parse_mapping
    from vigil.counting.stored_lists import add_list, start_upload

    with change_context("test"):
        user, password, secret, _ = create_demo_admin("lists-walker")
    with change_context("test", actor=user):
        lists = [
            add_list(user, f"Fictional {p.stem}", dt.date(2026, 11, 1), p.read_text(),
                     parse_mapping("id=id,name=name,birth_date=birth_date")).list
            for p in fictional_lists(tmp_path)
        ]
        run = run_link(user, lists)
        draft = start_upload(user, "Fictional partner upload", dt.date(2026, 12, 1),
                             "№;ФИО;Дата рождения;Пол\n1;Fictional Ales KALOMIR;1971;м\n")
    return user, password, secret, run, draft


@pytest.mark.parametrize("language", ["en", "ru"])
def test_stored_list_pages_fit_and_review_side_by_side(planted, live_server, browser, language):
    user, password, secret, run, draft = planted
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, user.username, password, secret)
    if language != "en":
        choose_language(page, language)
    pages = {
        "lists": "/lists/",
        "lists-map": f"/lists/{draft.pk}/map/",
        "lists-run": f"/lists/runs/{run.pk}/",
        "how-many-lists": "/how-many/",
    }
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        for name, path in pages.items():
            page.goto(live_server.url + path)
            assert page.locator("main h1").count() == 1
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} overflows by {overflow}px at {width} px ({language})"
            page.screenshot(path=str(SHOTS / f"{name}-{language}-{label}.png"), full_page=True)
    # Decide a pair in the browser: it moves to "Decided" with an undo.
    page.goto(live_server.url + pages["lists-run"])
    first = page.locator(".pair-review").first
    first.locator("button[value=same]").click()
    page.wait_for_load_state()
    assert page.locator("button[value=undo]").count() == 1
    context.close()
