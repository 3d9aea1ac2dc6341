"""From a profile: download a draft; from the empty cases list: create a case (Chromium)."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

import pyotp
import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from tests.browser.helpers import shot, sign_in, sign_in_by_session
from vigil.core.context import change_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _wide_and_narrow(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Screenshots at 1366 and 390 px under test-artifacts/screenshots (``shot`` writes the
    file; it was taken a second time into the same path)."""
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        shot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1366, "height": 900})


@pytest.fixture
def analyst():
    """A fictional analyst with a confirmed TOTP device: (user, password, TOTP secret)."""
    from vigil.accounts.models import Role, TOTPDevice, User

    password = secrets.token_urlsafe(16)
    user = User.objects.create_user("fictional-analyst", "", password, role=Role.ANALYST)
    device = TOTPDevice.objects.create(
        user=user, secret=pyotp.random_base32(32), confirmed_at=timezone.now()
    )
    return user, password, device.secret


@pytest.fixture
def prisoner():
    """A fictional person (not flagged synthetic: drafts refuse those) with a cited arrest."""
    from vigil.records.models import Act, Event, Information, Person, PersonName, Source, Term

    with change_context("test"):
        person = Person.objects.create(display_name="Fictiva Testava")
        PersonName.objects.create(person=person, value="Fictiva Testava", is_primary=True)
        event = Event.objects.create(title="Fictional prosecution", date=dt.date(2021, 3, 2))
        arrest = Act.objects.create(
            event=event,
            act_type_id=Term.pk_for("act_type", "arrest"),
            victim_person=person,
            date=dt.date(2021, 3, 2),
        )
        source = Source.objects.create(title="Fictional monitoring page", url="https://example.org/p")
        Information.objects.create(
            source=source,
            target_type=ContentType.objects.get_for_model(Act),
            target_id=arrest.pk,
            quote="Arrested on a fictional date.",
        )
    return person


def test_an_analyst_downloads_the_case_brief_and_the_appeal_from_the_profile(
    analyst, prisoner, live_server, browser
):
    user = analyst[0]
    page = browser.new_page(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    # A signed-in session (the case test below signs in through the forms).
    sign_in_by_session(page, live_server.url, user)
    page.goto(f"{live_server.url}/persons/{prisoner.pk}/")
    page.click("text=Drafts (WGAD, appeal, brief)")
    menu = page.locator("section.drafts")
    assert "WGAD communication" in menu.inner_text() and "Urgent appeal" in menu.inner_text()
    _wide_and_narrow(page, "profile-drafts")
    with page.expect_download() as pdf:
        page.click("[data-draft=brief-pdf]")
    path = pdf.value.path()
    assert pdf.value.suggested_filename.startswith("brief-fictiva-testava")
    assert Path(path).read_bytes().startswith(b"%PDF")
    with page.expect_download() as docx:
        page.click("[data-draft=appeal-docx]")
    assert docx.value.suggested_filename.endswith(".docx")
    assert Path(docx.value.path()).read_bytes().startswith(b"PK")


def test_a_documenter_creates_the_first_case_from_the_empty_list(
    documenter, prisoner, live_server, browser
):
    user, password, secret = documenter
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    sign_in(page, live_server.url, user.username, password, secret)
    page.goto(live_server.url + "/cases/")
    assert "No cases yet." in page.inner_text("main")
    assert "Loosen a filter" not in page.inner_text("main")
    page.click("main >> text=Create a case")
    page.wait_for_url("**/record/case/new/")
    page.fill("#id_title", "Fictional case of Fictiva Testava")
    page.fill("#id_description", "A fictional dossier made by a browser test.")
    page.fill("#id_add_person", "Fictiva Testava")
    page.wait_for_selector(f"#add-person-{prisoner.pk}")
    page.check(f"#add-person-{prisoner.pk}")
    _wide_and_narrow(page, "case-new")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/cases/*/")
    body = page.inner_text("main")
    assert "Fictional case of Fictiva Testava" in body and "Fictiva Testava" in body
    page.click("text=Edit case")
    page.wait_for_url("**/record/case/*/edit/")
    page.select_option("#id_status", "closed")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/cases/*/")
    assert "closed" in page.inner_text("main")
