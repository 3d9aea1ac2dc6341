"""Finding a person by a Cyrillic spelling nobody stored, in Debian's Chromium."""

import pytest

from tests.browser.helpers import shot, sign_in, sign_in_by_session
from vigil.core.context import change_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def documenter():
    from vigil.accounts.demo import create_demo_admin
    from vigil.records.models import Person, PersonName

    with change_context("test"):
        person = Person.objects.create(display_name="Ales Testavy", is_synthetic=True)
        PersonName.objects.create(person=person, value="Алесь Тэставы", lang="be")
        Person.objects.create(display_name="Iryna Kvitkovaja-Fictiva", is_synthetic=True)
        user, password, secret, _ = create_demo_admin("seeker")
    return user, password, secret, person


def test_type_a_russian_spelling_find_the_person_and_open_the_profile(
    documenter, live_server, browser
):
    user, password, secret, person = documenter
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, live_server.url, user.username, password, secret)
    page.click("nav >> text=Search")
    page.wait_for_load_state()
    page.fill("#search-q", "Алесь Тестовый")  # Russian; only the Belarusian form is stored
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    results = page.inner_text("#search-results")
    assert "Ales Testavy" in results and "Iryna" not in results
    shot(page, "search")
    page.click("#search-results >> text=Ales Testavy")
    page.wait_for_url(f"**/persons/{person.pk}/")
    assert "Алесь Тэставы" in page.inner_text("main")
    shot(page, "search-profile")


def test_results_appear_while_typing(documenter, live_server, browser):
    user = documenter[0]
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
    # A signed-in session (the test above signs in through the forms).
    sign_in_by_session(page, live_server.url, user)
    page.goto(live_server.url + "/search/")
    page.type("#search-q", "Тэстав", delay=50)
    page.wait_for_selector("#search-results >> text=Ales Testavy")
    assert "q=" in page.url  # the address follows, so the result can be shared or reloaded
    shot(page, "search-phone")
