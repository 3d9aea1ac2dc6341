"""Trial monitoring and solidarity in Chromium: record a hearing, assign an observer, file a
report, download the monitoring report; add a statement from a profile and see it there. The
pages in English and Belarusian at 1366 and 390 px, nothing wider than the screen."""

from pathlib import Path

import pytest

from tests.browser.helpers import SHOTS as HELPER_SHOTS
from tests.browser.helpers import choose_language, sign_in
from vigil.core.context import change_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"1366": (1366, 900), "390": (390, 844)}
# Screenshots for a person to look at, beside the other browser tests' (test-artifacts).
SHOTS = HELPER_SHOTS


@pytest.fixture
def planted():  # type: ignore[no-untyped-def]
    from vigil.accounts.demo import create_demo_admin
    from vigil.records.models import Case, Organisation, Person, Term

    with change_context("test"):
        user, password, secret, _ = create_demo_admin("monitoring-walker")
        person = Person.objects.create(display_name="Fictional Advocata Observanda")
        court = Organisation.objects.create(
            display_name="Fictional Regional Court",
            kind_id=Term.pk_for("organisation_kind", "court"),
        )
        case = Case.objects.create(title="Fictional case of Advocata Observanda")
        case.persons.add(person)
    return user, password, secret, person, court, case


def _overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_a_hearing_is_observed_reported_and_a_statement_shows_on_the_profile(
    planted, live_server, browser
):
    user, password, secret, person, court, case = planted
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page = context.new_page()
    sign_in(page, live_server.url, user.username, password, secret)
    page.goto(live_server.url + "/monitoring/")
    page.click("text=Add a hearing")
    page.wait_for_url("**/monitoring/new/")
    page.wait_for_load_state()
    page.fill("#id_case_search", "Observanda")  # a person in the case, found by name
    page.wait_for_selector(f"#case-found-{case.pk}")
    page.check(f"#case-found-{case.pk}")
    page.select_option("#id_kind", "appeal")
    page.fill("#id_date", "2027-02-03")
    page.select_option("#id_court", str(court.pk))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "Fictional Regional Court" in page.inner_text("main")
    hearing_url = page.url.removeprefix(live_server.url)
    assert hearing_url.startswith("/monitoring/hearings/")
    page.select_option("#id_observer", str(user.pk))
    page.click("section[aria-labelledby=hearing-observers] button[type=submit]")
    page.wait_for_load_state()
    observers = page.locator("section[aria-labelledby=hearing-observers] li")
    assert observers.all_inner_texts() == [user.username]
    page.select_option("#id_access", "admitted")
    page.select_option("#id_check_public_hearing", "no")
    page.select_option("#id_check_defendant_caged", "yes")
    page.fill("#id_duration_minutes", "40")
    page.fill("#id_motions_refused", "5")
    page.click("section[aria-labelledby=report-form] button[type=submit]")
    page.wait_for_load_state()
    reports = page.inner_text("section[aria-labelledby=hearing-reports]")
    assert "The defendant was held in a cage" in reports and "40" in reports
    page.goto(live_server.url + hearing_url)
    observers = page.locator("section[aria-labelledby=hearing-observers] li")
    assert observers.all_inner_texts() == [user.username]
    with page.expect_download() as download:
        page.click("a:text('DOCX')")
    assert download.value.suggested_filename.startswith("monitoring-fictional-case")
    saved = download.value.path()
    assert saved is not None and Path(saved).read_bytes()[:2] == b"PK"
    page.goto(f"{live_server.url}/persons/{person.pk}/")
    page.click("#solidarity >> text=Add a statement")
    page.fill("#id_title", "Fictional statement for Advocata Observanda")
    page.fill("#id_author_text", "Fictional Bar of Exampleland")
    page.fill("#id_signatories", "Fictional Lawyers Union")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "Fictional Lawyers Union" in page.inner_text("main")
    statement_url = page.url.removeprefix(live_server.url)
    page.goto(f"{live_server.url}/persons/{person.pk}/")
    assert "Fictional statement for Advocata Observanda" in page.inner_text("#solidarity")
    pages = {
        "monitoring": "/monitoring/",
        "hearing": hearing_url,
        "hearing-new": "/monitoring/new/",
        "campaigns": "/campaigns/",
        "statement": statement_url,
        "statement-new": f"/campaigns/new/?person={person.pk}",
        "calendar": "/calendar/?days=400",
        "profile": f"/persons/{person.pk}/",
    }
    for language in ("en", "be"):
        if language != "en":
            choose_language(page, language)
        for label, (width, height) in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": height})
            for name, path in pages.items():
                page.goto(live_server.url + path)
                assert page.locator("main h1").count() == 1, path
                if name == "hearing":
                    listed = page.locator("section[aria-labelledby=hearing-observers] li")
                    assert listed.all_inner_texts() == [user.username], (language, label)
                overflow = _overflow(page)
                assert overflow <= 0, f"{path} overflows by {overflow}px at {width} px"
                page.screenshot(
                    path=str(SHOTS / f"solidarity-{name}-{language}-{label}.png"), full_page=True
                )
    context.close()
