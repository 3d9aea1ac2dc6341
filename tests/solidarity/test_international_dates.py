"""Issue 12 §6: UN sessions and UPR deadlines on the calendar, entered by an admin or a
coordinator (Vigil ships none), on the page and in the iCalendar feed, in every language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from vigil.accounts.testing import login_verified
from vigil.core.errors import Forbidden, NotFound, ValidationFailed
from vigil.solidarity import calendar, feed, international
from vigil.solidarity.models import InternationalDate

pytestmark = pytest.mark.django_db

TITLE = "Fictional session of a fictional UN body"


def test_vigil_ships_no_international_date():
    assert not InternationalDate.objects.exists()


def test_an_admin_adds_a_date_that_every_user_sees_on_the_calendar_and_in_the_feed(world):
    day = dt.date.today() + dt.timedelta(days=10)
    international.add_date(
        world.users["admin"], day, "un_session", TITLE, "https://example.org/fictional-session"
    )
    international.add_date(world.users["coordinator"], day, "upr_deadline", "Fictional UPR cycle")
    start, end = calendar.window(dt.date.today(), 30)
    found = [i for i in calendar.items(world.users["viewer"], start, end) if i.date == day]
    assert sorted(i.title for i in found) == [
        f"UN session: {TITLE}",
        "UPR deadline: Fictional UPR cycle",
    ]
    text = feed.ics(world.users["viewer"])
    assert f"SUMMARY:UN session: {TITLE}" in text.replace("\r\n ", "")
    assert "URL:https://example.org/fictional-session" in text


def test_only_admins_and_coordinators_add_or_remove_and_bad_input_is_a_clear_error(world):
    day = dt.date.today()
    for role in ("analyst", "documenter", "viewer"):
        with pytest.raises(Forbidden):
            international.add_date(world.users[role], day, "un_session", TITLE)
    admin = world.users["admin"]
    with pytest.raises(ValidationFailed, match="title"):
        international.add_date(admin, day, "un_session", "  ")
    with pytest.raises(ValidationFailed, match="upr_deadline"):
        international.add_date(admin, day, "summit", TITLE)
    with pytest.raises(ValidationFailed, match="http"):
        international.add_date(admin, day, "other", TITLE, "javascript:alert(1)")
    with pytest.raises(ValidationFailed, match="2000"):
        international.add_date(admin, dt.date(1990, 1, 1), "other", TITLE)
    row = international.add_date(admin, day, "other", TITLE)
    with pytest.raises(Forbidden):
        international.remove_date(world.users["viewer"], str(row.pk))
    with pytest.raises(NotFound):
        international.remove_date(admin, "not-an-id")
    international.remove_date(world.users["coordinator"], str(row.pk))
    assert not InternationalDate.objects.exists()


def test_the_calendar_page_adds_and_lists_dates_in_every_language(world):
    admin = login_verified(Client(), world.users["admin"])
    day = dt.date.today() + dt.timedelta(days=5)
    response = admin.post(
        "/calendar/dates/", {"date": day.isoformat(), "kind": "upr_deadline", "title": TITLE}
    )
    assert response.status_code == 302
    assert admin.post("/calendar/dates/", {"date": "soon", "kind": "x"}).status_code == 302
    assert InternationalDate.objects.count() == 1
    page = admin.get("/calendar/").content.decode()
    assert TITLE in page and 'action="/calendar/dates/"' in page
    viewer = login_verified(Client(), world.users["viewer"])
    page = viewer.get("/calendar/").content.decode()
    assert TITLE in page and 'action="/calendar/dates/"' not in page
    assert viewer.post("/calendar/dates/", {"date": day.isoformat(), "kind": "other", "title": "x"})
    assert InternationalDate.objects.count() == 1
    row = InternationalDate.objects.get()
    assert viewer.post("/calendar/dates/remove/", {"id": str(row.pk)}).status_code == 302
    assert InternationalDate.objects.count() == 1
    admin.post("/calendar/dates/remove/", {"id": str(row.pk)})
    assert not InternationalDate.objects.exists()
    for language, words in (("be", "Сесіі і тэрміны ААН"), ("ru", "Сессии и сроки ООН")):
        user = world.users["viewer"]
        user.language = language
        user.save(update_fields=["language"])
        text = viewer.get("/calendar/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert words in text and "UN sessions and deadlines" not in text
