"""Protection in Debian's Chromium: open a case, add an action, record a grant, see the totals,
in English and in Belarusian, at desktop and phone widths; screenshots under /tmp."""

from decimal import Decimal

import pytest
from django.utils import formats, translation

from tests.browser.helpers import SHOTS as HELPER_SHOTS
from tests.browser.helpers import assert_fits, choose_language, in_language, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Screenshots for a person to look at, beside the other browser tests' (test-artifacts).
SHOTS = HELPER_SHOTS
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def coordinator():
    import secrets

    import pyotp
    from django.utils import timezone

    from vigil.accounts.models import Role, TOTPDevice, User

    password = secrets.token_urlsafe(16)
    user = User.objects.create_user("fictional-coordinator", "", password, role=Role.COORDINATOR)
    device = TOTPDevice.objects.create(
        user=user, secret=pyotp.random_base32(32), confirmed_at=timezone.now()
    )
    return user, password, device.secret


@pytest.mark.parametrize("language", ["en", "be"])
def test_open_a_case_add_an_action_record_a_grant_and_see_the_totals(
    coordinator, live_server, browser, language, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    user, password, secret = coordinator
    name = "Fictionalia Abaronenka"
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    # One sign-in: a TOTP code is accepted once, and both widths fall in one 30-second step.
    sign_in(page, live_server.url, user.username, password, secret)
    if language != "en":
        choose_language(page, language)
    assert page.get_attribute("html", "lang") == language
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})

        page.goto(live_server.url + "/protection/cases/new/")
        _shot(page, f"case-new-{language}-{label}")
        page.fill("#id_beneficiary_name", f"{name} {label}")
        page.fill("#id_location", "Fictional town")
        page.select_option("#id_urgency", "1")
        page.fill("#id_threats", "Summoned twice; office searched (fictional)")
        page.fill("#id_needs", "Legal fees; a visa")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        heading = page.inner_text("main h1")
        assert heading.startswith(in_language(language, "Case %(p)s") % {"p": "P-"})
        assert name not in page.inner_text("main")  # shown only on request, audited

        page.select_option("#id_kind", "relocation")
        page.fill("#id_due", "2026-03-01")
        page.fill("#id_note", "Fictional: papers ready")
        page.click("form[action$='/actions/'] button[type=submit]")
        page.wait_for_load_state()
        assert in_language(language, "relocation") in page.inner_text("main")
        assert_fits(page, f"case page at {label}")
        _shot(page, f"case-{language}-{label}")

        page.click(f"text={in_language(language, 'Show who this is')}")
        page.wait_for_load_state()
        assert f"{name} {label}" in page.inner_text("main")

        page.goto(live_server.url + "/protection/")
        assert heading.split()[-1] in page.inner_text("main table")
        assert_fits(page, f"board at {label}")
        _shot(page, f"board-{language}-{label}")

        page.goto(live_server.url + "/protection/funds/")
        if label == "desktop":
            page.click("main details summary")
            page.fill("#id_name", "Fictional Solidarity Fund")
            page.click("main details form button[type=submit]")
        else:
            page.click("text=Fictional Solidarity Fund")
        page.wait_for_load_state()
        page.select_option("#id_case", label=heading)
        page.fill("#id_amount", "1500" if label == "desktop" else "400")
        page.fill("#id_date", "2026-01-15")
        page.select_option("#id_purpose", "legal_fees")
        page.select_option("#id_status", "disbursed")
        page.click("form.filters__grid button[type=submit]")
        page.wait_for_load_state()
        grants = page.inner_text("main table")
        assert heading in grants and name not in grants
        assert_fits(page, f"fund page at {label}")
        _shot(page, f"fund-{language}-{label}")

        page.goto(live_server.url + "/protection/funds/")
        totals = page.inner_text("main")
        amount = Decimal("1500.00") if label == "desktop" else Decimal("1900.00")
        with translation.override(language):
            expected = f"{formats.number_format(amount, use_l10n=True)} EUR"
        assert expected in totals and in_language(language, "legal fees") in totals
        assert page.locator("svg.chart rect").count() == 1
        assert name not in page.content()
        assert_fits(page, f"funds page at {label}")
        _shot(page, f"funds-{language}-{label}")
    context.close()
