"""The whole journey in Belarusian and in Russian: switch language, record a trial, find the
person by a Cyrillic spelling, read the timeline — in Debian's Chromium."""

import pytest

from tests.browser.helpers import choose_language, in_language, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _term_label(key: str, language: str) -> str:
    from vigil.records.models import Term

    term = Term.objects.get(pk=Term.pk_for("act_type", key))
    return getattr(term, f"label_{language}") or term.label_en


@pytest.mark.parametrize(
    ("language", "date", "cyrillic_query"),
    [("be", "сакавік 2021", "Тэставы"), ("ru", "март 2021", "Тестовый")],
)
def test_record_find_and_read_a_case_in_belarusian_and_russian(
    documenter, live_server, browser, language, date, cyrillic_query, monkeypatch
):
    # Playwright's sync API runs an event loop in this thread; the test's own reads of the
    # database (not the server's) are synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    user, password, secret = documenter
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, live_server.url, user.username, password, secret)

    choose_language(page, language)
    assert page.get_attribute("html", "lang") == language
    nav = page.inner_text("nav.site-nav")
    assert in_language(language, "Persons") in nav and in_language(language, "Persons") != "Persons"
    user.refresh_from_db()
    assert user.language == language  # the choice follows the account to other browsers

    page.goto(live_server.url + "/record/trial/")
    page.fill("#id_victim_name_latn", "Ales Testavy")
    page.fill("#id_victim_name_be", "Алесь Тэставы")
    page.fill("#id_victim_name_ru", "Алесь Тестовый")
    page.fill("#id_date", date)
    page.fill("#id_court", "Fictional District Court")
    page.fill("#id_judge_name", "Iudex Testovy")
    page.select_option("#id_judge_role", "presiding_judge")
    page.fill("#id_sentence_years", "3")
    page.fill("#id_sources-0-title", "Fictional monitoring note")
    page.fill("#id_sources-0-quote", "A fictional sentence.")
    shot(page, f"record-trial-{language}")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/persons/*/")

    page.goto(live_server.url + "/search/?q=" + cyrillic_query)
    # The Belarusian and Russian pages name him in the form recorded for their language.
    shown = {"be": "Алесь Тэставы", "ru": "Алесь Тестовый"}[language]
    page.click(f"main a:has-text('{shown}')")
    page.wait_for_url("**/persons/*/")
    body = page.inner_text("main")
    assert page.inner_text("main h1") == shown
    assert "Iudex Testovy" in body
    for key in ("trial", "sentence"):
        assert _term_label(key, language) in body, key
    timeline = in_language(language, "Timeline")
    assert timeline in body and timeline != "Timeline"
    shot(page, f"timeline-{language}")
