"""Moments (a run, a sign-in, a review) in the page's language through Vigil's one date
formatter (``day_time``), never Django's US or ISO forms: "07.12.2026, 14:05" in Belarusian
and Russian, "7 Dec 2026, 14:05" in English."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.test import Client

from tests.web.test_stored_lists_pages import analyst, analyst_client, run  # noqa: F401
from vigil.accounts.models import UserSession
from vigil.accounts.testing import login_verified
from vigil.counting.models import LinkRun
from vigil.records.dates import format_day_time

pytestmark = pytest.mark.django_db
AT = dt.datetime(2026, 12, 7, 14, 5, 9, tzinfo=dt.UTC)
WRITTEN = {"en": "7 Dec 2026, 14:05", "be": "07.12.2026, 14:05", "ru": "07.12.2026, 14:05"}
# Django's own forms this page used to show: the US short form and the ISO one.
NOT_WRITTEN = ("12/07/2026", "Dec. 7, 2026", "2026-12-07 14:05", "2:05 p.m.")
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "vigil"


def test_a_moment_is_written_in_each_language_short_long_and_with_seconds():
    assert format_day_time(AT, "en") == "7 December 2026, 14:05"
    assert format_day_time(AT, "ru") == "7 декабря 2026 г., 14:05"
    assert format_day_time(AT, "be") == "7 снежня 2026 г., 14:05"
    for lang, text in WRITTEN.items():
        assert format_day_time(AT, lang, short=True) == text
    assert format_day_time(AT, "be", short=True, seconds=True) == "07.12.2026, 14:05:09"
    assert format_day_time(None, "en") == ""


@pytest.mark.parametrize("lang", ["en", "be"])
def test_the_stored_lists_pages_write_a_runs_time_in_the_page_language(
    analyst_client, run, lang  # noqa: F811
):
    LinkRun.objects.filter(pk=run.pk).update(created_at=AT)
    for url in (f"/lists/runs/{run.pk}/", "/lists/"):
        page = analyst_client.get(url, HTTP_ACCEPT_LANGUAGE=lang).content.decode()
        assert WRITTEN[lang] in page, url
        for form in NOT_WRITTEN:
            assert form not in page, (url, form)


@pytest.mark.parametrize("lang", ["en", "be"])
def test_the_sessions_page_writes_a_sign_in_time_in_the_page_language(analyst, lang):  # noqa: F811
    client = login_verified(Client(), analyst)
    if not UserSession.objects.filter(user=analyst).exists():
        UserSession.objects.create(user=analyst, session_key=client.session.session_key)
    UserSession.objects.filter(user=analyst).update(created_at=AT)
    page = client.get("/accounts/sessions/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert WRITTEN[lang] in page
    for form in NOT_WRITTEN:
        assert form not in page, form


def test_no_template_writes_a_date_with_djangos_formats_for_people_to_read():
    """``|date`` only for machine-read attributes (``datetime="…"``: "c", "Y-m-d")."""
    found = []
    for path in sorted(TEMPLATES.rglob("templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"\|date:\s*[\"']([^\"']*)[\"']", text):
            if match.group(1) not in ("c", "Y-m-d"):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(TEMPLATES)}:{line} {match.group(0)}")
    assert found == [], "use |day or |day_time:\n  " + "\n  ".join(found)
