"""Dates in the page's language in Chromium under an English (US) browser locale: a day typed
as 05.04.2021 on a Belarusian or Russian page is saved as 5 April 2021 (a browser's
``<input type="date">`` would have shown mm/dd/yyyy there and read the typing in that order);
the person list's act filter reads and shows the same form; a bad date gets a clear error in
the page's language. Screenshots at 1366 and 390 px under test-artifacts/screenshots."""

import datetime as dt

import pytest

from tests.browser.helpers import assert_fits, choose_language, in_language, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
PATTERN = "дд.мм.гггг"


@pytest.mark.parametrize("language", ["be", "ru"])
def test_a_day_typed_in_the_page_language_is_saved_and_shown_in_it(
    documenter, live_server, browser, language, monkeypatch
):
    from vigil.records.models import Act

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    user, password, secret = documenter
    # The browser's locale is English (US): what decided <input type="date">'s mm/dd/yyyy.
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    page = context.new_page()
    sign_in(page, live_server.url, user.username, password, secret)
    choose_language(page, language)
    assert page.get_attribute("html", "lang") == language

    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        day = dt.date(2021, 4, 5) if label == "desktop" else dt.date(2021, 4, 6)
        page.goto(live_server.url + "/record/arrest/")
        field = page.locator("#id_known_since")
        assert field.get_attribute("type") == "text"
        assert field.get_attribute("placeholder") == PATTERN
        page.fill("#id_victim_name_latn", f"Fictional Datavy {label}")
        page.fill("#id_date", "March 2021")
        field.click()
        page.keyboard.type(f"{day:%d.%m.%Y}")  # typed key by key, as a person would
        assert_fits(page, f"arrest form at {label}")
        shot(page, f"day-arrest-form-{language}-{label}")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        acts = Act.objects.filter(victim_person__display_name=f"Fictional Datavy {label}")
        assert set(acts.values_list("known_since", flat=True)) == {day}

    # The person list's act filter: the same form, read and shown back in it.
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/persons/")
    since = page.locator("#id_date_from")
    assert since.get_attribute("placeholder") == PATTERN
    since.fill("01.03.2021")
    page.locator("#id_date_to").fill("31.03.2021")
    page.click(".filters__actions button[type=submit]")
    page.wait_for_url("**date_from=01.03.2021**")  # htmx swaps the results, pushes the URL
    page.reload()  # the whole page, as the pushed address gives it
    assert page.input_value("#id_date_from") == "01.03.2021"
    body = page.inner_text("main")
    assert "Fictional Datavy desktop" in body and "Fictional Datavy phone" in body
    # A link's ISO date shows in the page's form.
    page.goto(live_server.url + "/persons/?date_from=2021-03-01")
    assert page.input_value("#id_date_from") == "01.03.2021"
    # A month-first date is refused, in the page's language, naming the pattern.
    page.goto(live_server.url + "/persons/?date_from=03/31/2021")
    expected = in_language(
        language,
        "Cannot read “%(text)s” as a date: write it as %(pattern)s, for example %(example)s.",
    ) % {"text": "03/31/2021", "pattern": PATTERN, "example": "17.06.2022"}
    assert expected in page.inner_text("main")
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        assert_fits(page, f"person list with a refused date at {label}")
        shot(page, f"day-filter-error-{language}-{label}")
    context.close()
