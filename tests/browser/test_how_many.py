"""The "How many?" page in Chromium, in English and Belarusian, at 1366 and 390 px: a heading,
the estimate with its interval, the overlap plot, nothing wider than the screen."""

import datetime as dt

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
    from tests.policy.factories import stored_estimate
    from vigil.accounts.demo import create_demo_admin
    from vigil.records.models import Act, Event, Person, Term

    with change_context("test"):
        user, password, secret, _ = create_demo_admin("how-many-walker")
        event = Event.objects.create(title="Fictional detentions")
        for n in range(3):
            person = Person.objects.create(display_name=f"Fictional Detainee {n}")
            Act.objects.create(
                event=event,
                victim_person=person,
                date=dt.date(2021, 1, 1 + n),
                act_type_id=Term.pk_for("act_type", "arrest"),
            )
        estimate = stored_estimate("Fictional detentions 2021")
        estimate.period = "2021"
        estimate.save()
    return user, password, secret, estimate


@pytest.mark.parametrize("language", ["en", "be"])
def test_how_many_fits_and_shows_the_interval(planted, live_server, browser, language):
    user, password, secret, estimate = planted
    SHOTS.mkdir(parents=True, exist_ok=True)
    # One sign-in per language (a TOTP code is accepted once); the viewport changes after.
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, user.username, password, secret)
    if language != "en":
        choose_language(page, language)
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        for name, path in (("how-many", "/how-many/"), ("home", "/")):
            page.goto(live_server.url + path)
            assert page.locator("main h1").count() == 1
            assert page.locator(".estimate__interval").count() >= 1
            if name == "how-many":
                assert page.locator("svg .upset__bar").count() == 7
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} overflows by {overflow}px at {width} px ({language})"
            page.screenshot(path=str(SHOTS / f"{name}-{language}-{label}.png"), full_page=True)
    context.close()
