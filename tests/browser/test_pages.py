"""The workspace pages in Debian's Chromium: each has an h1 and fits a phone; screenshots saved."""

import pytest

from tests.browser.helpers import shot, sign_in, sign_in_by_session
from vigil.core.context import change_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture
def signed_up():  # type: ignore[no-untyped-def]
    from tests.web.conftest import make_case
    from vigil.accounts.demo import create_demo_admin

    with change_context("test"):
        case = make_case()
        user, password, secret, _ = create_demo_admin("pages-walker")
    return case, user, password, secret


def test_main_pages_have_a_heading_and_fit_a_phone(signed_up, live_server, browser):
    case, user, password, secret = signed_up
    pages = {
        "home": "/",
        "persons": "/persons/",
        "persons-in-custody": "/persons/?custody=in_custody",
        "persons-term-ended": "/persons/?custody=term_ended_release_not_recorded",
        "glossary": "/glossary/",
        "perpetrators": "/perpetrators/",
        "organisations": "/organisations/",
        "cases": "/cases/",
        "events": "/events/",
        "person-profile": f"/persons/{case.victim.pk}/",
        "perpetrator-dossier": f"/perpetrators/{case.judge.pk}/",
        "event": f"/events/{case.event.pk}/",
    }
    for label, (width, height) in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        if label == "desktop":
            sign_in(page, live_server.url, user.username, password, secret)
        else:
            # The forms again within the same 30-second step would be a TOTP replay, refused:
            # the phone's context is handed a signed-in session instead.
            sign_in_by_session(page, live_server.url, user)
        for name, path in pages.items():
            page.goto(live_server.url + path)
            assert page.locator("main h1").count() == 1, path
            assert page.locator("main h1").inner_text().strip(), path
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} overflows by {overflow}px at {label} width"
            shot(page, f"pages-{name}-{label}")
        context.close()


def test_sorting_and_filtering_work_by_keyboard_without_javascript(signed_up, live_server, browser):  # type: ignore[no-untyped-def]
    case, user, password, secret = signed_up
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, user.username, password, secret)
    page.goto(live_server.url + "/persons/")
    # Testa's 54-month term, counted from the 2020 arrest, ended in February 2025.
    ended = "term_ended_release_not_recorded"
    page.select_option("#id_custody", ended)
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert f"custody={ended}" in page.url
    body = page.inner_text("main")
    assert "Testa Fictionalia" in body and "Iudex Fictus" not in body
    page.click("th a.sort-link >> text=Name")
    page.wait_for_load_state()
    assert "sort=-name" in page.url and f"custody={ended}" in page.url
    context.close()
