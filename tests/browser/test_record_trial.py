"""A documenter records a trial through the form in Debian's Chromium and reads the timeline."""

import pytest

from tests.browser.helpers import shot, sign_in, sign_in_by_session
from vigil.core.context import change_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_trial(page):
    page.fill("#id_date", "24.11.2021")
    page.fill("#id_arrest_date", "August 2021")
    page.fill("#id_court", "Fictional District Court")
    page.fill("#id_judge_name", "Iudex Testovy")
    page.select_option("#id_judge_role", "presiding_judge")
    page.fill("#id_sentence_years", "4")
    page.fill("#id_sentence_months", "6")
    page.fill("#id_sentence_regime", "Strict-regime penal colony")
    page.fill("#id_charge_1", "Part 2 of Art. 243 of the Criminal Code")
    page.fill("#id_sources-0-title", "Fictional court monitoring note")
    page.fill("#id_sources-0-quote", "Sentenced to a fictional term.")


def test_record_a_trial_with_a_sentence_and_a_judge_and_read_the_timeline(
    documenter, live_server, browser
):
    user, password, secret = documenter
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, live_server.url, user.username, password, secret)
    page.goto(live_server.url + "/record/trial/")
    assert page.title().startswith("Record a trial")
    page.fill("#id_victim_name_latn", "Ales Testavy")
    page.fill("#id_victim_name_be", "Алесь Тэставы")
    _fill_trial(page)
    shot(page, "record-trial")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/persons/*/")
    body = page.inner_text("main")
    assert "Ales Testavy" in body
    for act in ("Arrest", "Trial", "Conviction and sentence"):
        assert act in body, act
    assert body.index("Arrest") < body.index("Conviction and sentence")
    assert "Iudex Testovy" in body and "Presiding judge" in body
    assert "Fictional court monitoring note" in body
    shot(page, "record-trial-timeline")


@pytest.fixture
def existing_person():
    from vigil.records.models import Person, PersonName

    with change_context("test"):
        person = Person(display_name="Ales Testavy", is_synthetic=True)
        person.save()
        PersonName(person=person, value="Ales Testavy", is_primary=True).save()
    return person


def test_typing_a_cyrillic_spelling_warns_of_a_duplicate_and_records_for_that_person(
    documenter, existing_person, live_server, browser
):
    user = documenter[0]
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
    # A signed-in session (the test above signs in through the forms).
    sign_in_by_session(page, live_server.url, user)
    page.goto(live_server.url + "/record/trial/")
    page.fill("#id_victim_name_be", "Тэставы")
    page.wait_for_selector("#victim-suggestions >> text=You may mean")
    assert "Ales Testavy" in page.inner_text("#victim-suggestions")
    shot(page, "record-trial-duplicate-warning")
    page.check(f"#victim-pick-{existing_person.pk}")
    _fill_trial(page)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/persons/{existing_person.pk}/")
    body = page.inner_text("main")
    assert "Conviction and sentence" in body and "Iudex Testovy" in body
    # No duplicate was made: one person answers to the name.
    page.goto(live_server.url + "/persons/?q=Testavy")
    found = page.locator("main a[href^='/persons/']", has_text="Ales Testavy")
    assert found.count() == 1, page.inner_text("main")
