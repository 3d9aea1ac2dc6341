"""The sanctions review and gap pages in Debian's Chromium: a decision is confirmed in two
steps and undone; the pages (and the interventions list) fit a 390 px phone."""

import datetime as dt
import os
from pathlib import Path

import pytest

from tests.browser.helpers import choose_language, shot, sign_in, sign_in_by_session
from tests.restored_data import built_once
from vigil.core.context import change_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Screenshots for a person to look at (outside the repository when VIGIL_SHOTS is set).
SHOTS = Path(os.environ["VIGIL_SHOTS"]) if os.environ.get("VIGIL_SHOTS") else None
# The elements that reach past the viewport's right edge, for the failure message.
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth).slice(0, 8)
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


@pytest.fixture
def screened_record(shared_data, monkeypatch):
    """The real Viasna sample and EU list, screened; an admin with TOTP; one intervention:
    built by the module's first test (in each process and database) and written back for the
    others (tests/restored_data.py)."""
    from vigil.accounts.models import User

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    pk, password, secret = built_once(lambda: _screen(shared_data))
    return User.objects.get(pk=pk), password, secret


def _screen(shared_data):
    from vigil.accounts.demo import create_demo_admin
    from vigil.importers.viasna import import_viasna
    from vigil.responses.interventions import create_intervention, record_response
    from vigil.sanctions.lists import import_list
    from vigil.sanctions.screening import screen

    with change_context("test"):
        import_viasna(shared_data / "viasna" / "prisoners_sample.csv")
        import_list(
            "eu-765",
            shared_data / "sanctions" / "eu_reg_765_2006_annexI.csv",
            version_date=dt.date(2026, 7, 17),
        )
        screen()
        appeal = create_intervention(
            "urgent_appeal",
            title="Fictional urgent appeal about a fictional detained lawyer",
            reference="UA FIC 1/2024",
        )
        record_response(appeal, "rejected", date=dt.date(2024, 3, 1), summary="Fictional.")
        user, password, secret, _ = create_demo_admin("sanctions-reviewer")
    return user.pk, password, secret


def _save(page, name: str) -> None:
    shot(page, name)
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_reviewer_confirms_after_a_confirmation_step_then_undoes(
    screened_record, live_server, browser
):
    from vigil.sanctions.models import ScreeningMatch

    user, password, secret = screened_record
    match = ScreeningMatch.objects.get(
        person__display_name="Maryna Zapasnik", listed_entity__entity_id="I.A/102"
    )
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    sign_in(page, live_server.url, user.username, password, secret)
    # The queue comes a page at a time; a link to one candidate opens the page that shows it.
    page.goto(live_server.url + f"/sanctions/review/?match={match.pk}")
    card = page.locator(f"#match-{match.pk}")
    # Both sides are there to compare: the record's role and acts, the list's reason.
    assert "Judge" in card.inner_text() and "Leninsky District" in card.inner_text()
    card.get_by_role("link", name="Same person…").click()
    page.wait_for_load_state()
    # The confirmation step: nothing is decided yet.
    assert page.locator("main h1").inner_text() == "Confirm: the same person?"
    match.refresh_from_db()
    assert match.decision == "pending"
    page.fill("#note", "Court and victims agree with the listing reason")
    page.get_by_role("button", name="Yes, the same person").click()
    page.wait_for_load_state()
    match.refresh_from_db()
    assert match.decision == "confirmed" and match.reviewed_by == user
    assert page.locator(f"#match-{match.pk}").count() == 0
    assert "Recorded: Maryna Zapasnik" in page.locator(".messages").inner_text()
    page.goto(live_server.url + f"/sanctions/review/?match={match.pk}")
    assert "no longer awaits review" in page.locator(".messages").inner_text()
    page.goto(live_server.url + "/sanctions/gap/")
    assert "listed as I.A/102" in page.locator("main table").nth(1).inner_text()
    # Undo, from the review page's recent decisions.
    page.goto(live_server.url + "/sanctions/review/")
    row = page.locator("tr", has_text="Maryna Zapasnik")
    row.get_by_role("button", name="Undo").click()
    page.wait_for_load_state()
    match.refresh_from_db()
    assert match.decision == "pending"
    assert page.locator(f"#match-{match.pk}").count() == 1
    assert "Decision undone" in page.locator(".messages").inner_text()
    page.close()


def test_sanctions_and_interventions_pages_fit_a_phone_in_english_and_belarusian(
    screened_record, live_server, browser
):
    from vigil.sanctions.models import ScreeningMatch

    user, password, secret = screened_record
    match = ScreeningMatch.objects.filter(decision="pending").first()
    pages = {
        "gap": "/sanctions/gap/",
        "review": "/sanctions/review/",
        "review-confirm": f"/sanctions/review/{match.pk}/decide/?decision=confirmed",
        "interventions": "/responses/",
    }
    # One sign-in: a second one within the same 30-second step is a TOTP replay, refused.
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, user.username, password, secret)
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        for language in ("en", "be"):
            choose_language(page, language)
            for name, path in pages.items():
                page.goto(live_server.url + path)
                assert page.locator("main h1").count() == 1, path
                scroll = page.evaluate("document.documentElement.scrollWidth")
                assert scroll <= width, (
                    f"{path} is {scroll}px wide at {width}px ({language}): {page.evaluate(WIDEST)}"
                )
                _save(page, f"sanctions-{name}-{width}-{language}")
    context.close()


def test_an_organisation_candidate_is_reviewed_on_the_same_page_and_fits_a_phone(
    screened_record, live_server, browser
):
    from tests.sanctions.test_organisation_screening import _perpetrator_organisation
    from vigil.sanctions.models import ScreeningMatch

    user = screened_record[0]
    with change_context("test"):
        org = _perpetrator_organisation("ОАО «Беларуськалий»")
    match = ScreeningMatch.objects.get(organisation=org, listed_entity__entity_id="I.B/28")
    # A signed-in session (the first test of the module signs in through the forms).
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    sign_in_by_session(page, live_server.url, user)
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(live_server.url + f"/sanctions/review/?match={match.pk}")
        card = page.locator(f"#match-{match.pk}")
        assert "Kind of organisation" in card.inner_text()
        assert "Open Joint Stock Company" in card.inner_text()
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"review is {scroll}px wide at {width}px: {page.evaluate(WIDEST)}"
        card.scroll_into_view_if_needed()
        _save(page, f"sanctions-review-organisation-{width}")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + f"/sanctions/review/?match={match.pk}")
    page.locator(f"#match-{match.pk}").get_by_role("link", name="Same organisation…").click()
    page.wait_for_load_state()
    assert page.locator("main h1").inner_text() == "Confirm: the same organisation?"
    page.get_by_role("button", name="Yes, the same organisation").click()
    page.wait_for_load_state()
    match.refresh_from_db()
    assert match.decision == "confirmed"
    # The gap report lists the organisation, confirmed, in its organisations table.
    page.goto(live_server.url + "/sanctions/gap/")
    assert "ОАО «Беларуськалий»" in page.inner_text("main")
    page.close()
