"""The at-risk page, the person's risk panel and the model card in Debian's Chromium, in
English and Belarusian, at desktop and phone widths; adding a person to the register."""

import datetime as dt
from io import StringIO

import pytest

from tests.browser.helpers import shot, sign_in, sign_in_by_session
from tests.restored_data import built_once
from vigil.core.context import change_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
HEADING = {"en": "At risk", "be": "Пад пагрозай"}


@pytest.fixture
def scored_admin():
    """A fictional admin (risk role), the planted synthetic record, one stored fit: built by
    the module's first test (in each process and database) and written back for the others
    (tests/restored_data.py) — the same rows, so the same scores, person and name."""
    from vigil.accounts.models import User

    # Before the browser starts: Playwright's event loop makes the ORM refuse to run.
    pk, password, secret, person, name = built_once(_plant_and_score)
    return User.objects.get(pk=pk), password, secret, person, name


def _plant_and_score():
    from django.core.management import call_command

    from vigil.accounts.demo import create_demo_admin
    from vigil.warning.loading import Include
    from vigil.warning.scoring import run_scoring

    with change_context("test"):
        user, password, secret, _ = create_demo_admin("risk-admin")
    call_command("warning", "plant", "--persons", "120", "--seed", "4",
                 acting_user=user.username, stdout=StringIO())  # fmt: skip
    for at in (dt.date(2021, 3, 1), dt.date(2021, 6, 1)):
        fit = run_scoring(user, at=at, include=Include.SYNTHETIC, bootstrap=20).fit
    top = fit.scores.first()
    return user.pk, password, secret, str(top.person_id), top.person.display_name


def _page(browser, live_server, creds, lang, size, *, forms=True):
    """A page signed in through the login and 2FA forms, or (``forms=False``) handed a
    signed-in session (helpers.sign_in_by_session)."""
    user, password, secret = creds
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page = context.new_page()
    if forms:
        sign_in(page, live_server.url, user.username, password, secret)
    else:
        sign_in_by_session(page, live_server.url, user)
    return page


def _overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("lang", ["en", "be"])
def test_at_risk_page_panel_and_model_card_read_well_at_desktop_and_phone_widths(
    scored_admin, live_server, browser, lang
):
    user, password, secret, person, name = scored_admin
    # A signed-in session (the next test signs in through the forms): the page goes
    # straight to the at-risk list.
    page = _page(
        browser, live_server, (user, password, secret), lang, WIDTHS["desktop"], forms=False
    )
    for label, size in WIDTHS.items():
        page.set_viewport_size({"width": size[0], "height": size[1]})
        page.goto(live_server.url + "/risk/")
        assert page.inner_text("main h1") == HEADING[lang]
        rows = page.locator("main table.risk-table tbody tr")
        assert rows.count() >= 20
        assert name in rows.first.inner_text()
        assert page.locator("main table.risk-table svg.chart--spark").count() >= 20
        assert _overflow(page) <= 0, f"/risk/ overflows at {label}"
        shot(page, f"risk-at-risk-{lang}-{size[0]}")
        page.goto(f"{live_server.url}/persons/{person}/")
        assert page.locator("section.risk-panel svg.chart--strip").count() == 1
        assert _overflow(page) <= 0, f"person page overflows at {label}"
        shot(page, f"risk-panel-{lang}-{size[0]}")
        page.goto(live_server.url + "/risk/model/")
        assert page.locator("svg.chart--calibration").count() == 1
        assert _overflow(page) <= 0, f"model card overflows at {label}"
        shot(page, f"risk-model-{lang}-{size[0]}")
    page.context.close()


def test_adding_the_top_person_to_the_register_from_the_at_risk_page(
    scored_admin, live_server, browser
):
    user, password, secret, person, name = scored_admin
    page = _page(browser, live_server, (user, password, secret), "en", WIDTHS["desktop"])
    page.goto(live_server.url + "/risk/")
    page.locator("main table.risk-table tbody tr").first.get_by_role(
        "button", name="Add to register"
    ).click()
    page.wait_for_load_state()
    assert "you now watch this person" in page.inner_text("main")
    register = page.inner_text("#register-title + p + .table-wrap")
    assert name in register and "watched" in register
    page.context.close()
