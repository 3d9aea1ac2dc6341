"""Requirement 8: server-side sessions with idle and absolute limits, revoked at once."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import child_env
from vigil.accounts import sessions, tokens
from vigil.accounts.models import UserSession
from vigil.accounts.testing import login_verified

pytestmark = pytest.mark.django_db


def age_session(client: Client, **seconds_ago: float) -> None:
    session = client.session
    now = sessions.now()
    if "login" in seconds_ago:
        session[sessions.LOGIN_AT] = now - seconds_ago["login"]
    if "seen" in seconds_ago:
        session[sessions.SEEN_AT] = now - seconds_ago["seen"]
    session.save()


def test_req8_sessions_are_stored_server_side_in_the_database(client, user, device):
    engine = import_module(django_settings.SESSION_ENGINE)
    assert issubclass(engine.SessionStore, DatabaseStore)  # Django's database store
    assert engine.SessionStore.get_model_class() is Session
    login_verified(client, user)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    assert UserSession.objects.filter(session_key=key, user=user).exists()


def test_req8_session_idle_for_more_than_30_minutes_ends(client, user, device):
    login_verified(client, user)
    key = client.session.session_key
    age_session(client, login=31 * 60, seen=30 * 60 + 5)
    response = client.get("/persons/")
    assert response["Location"].startswith("/accounts/login/")
    assert not Session.objects.filter(session_key=key).exists()


def test_req8_activity_keeps_a_session_alive(client, user, device):
    login_verified(client, user)
    age_session(client, login=2 * 3600, seen=29 * 60)
    assert client.get("/persons/").status_code == 200
    assert sessions.now() - client.session[sessions.SEEN_AT] < 60


def test_req8_session_ends_after_12_hours_despite_activity(client, user, device):
    login_verified(client, user)
    age_session(client, login=12 * 3600 + 5, seen=10)
    assert client.get("/persons/")["Location"].startswith("/accounts/login/")


@given(
    login=st.floats(min_value=0, max_value=2e5),
    idle=st.floats(min_value=0, max_value=5e3),
)
def test_req8_expiry_rule_matches_the_limits(login, idle):
    idle = min(idle, login)
    now = 1.7e9
    session = {sessions.LOGIN_AT: now - login, sessions.SEEN_AT: now - idle}
    reason = sessions.expired(session, at=now)
    alive = login <= 12 * 3600 and idle <= 30 * 60
    assert (reason is None) == alive


def test_req8_session_without_a_sign_in_time_is_treated_as_expired():
    assert sessions.expired({}) == "absolute"


def test_req8_logout_deletes_the_server_side_session_at_once(client, user, device):
    login_verified(client, user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=cookie).exists()
    assert not UserSession.objects.filter(session_key=cookie).exists()
    replay = Client()
    replay.cookies[django_settings.SESSION_COOKIE_NAME] = cookie
    assert replay.get("/persons/").status_code == 302


def test_req8_disabling_an_account_ends_all_its_sessions(user, device):
    browsers = [login_verified(Client(), user) for _ in range(3)]
    assert UserSession.objects.filter(user=user).count() == 3
    user.is_active = False
    user.save()
    assert not Session.objects.filter(
        session_key__in=[b.session.session_key for b in browsers]
    ).exists()
    assert all(b.get("/persons/").status_code == 302 for b in browsers)


def test_req8_logout_everywhere_ends_all_sessions_and_revokes_tokens(user, device):
    first, second = login_verified(Client(), user), login_verified(Client(), user)
    _token, raw = tokens.create_token(user, "fictional script")
    first.post("/accounts/sessions/end-all/")
    assert second.get("/persons/").status_code == 302
    assert first.get("/persons/").status_code == 302
    assert tokens.authenticate_token(raw) is None
    assert not UserSession.objects.filter(user=user).exists()


def test_req8_password_change_ends_the_other_sessions(user, device, password):
    here, elsewhere = login_verified(Client(), user), login_verified(Client(), user)
    new = "fictional new passphrase for a long walk"
    response = here.post(
        "/accounts/password/",
        {"old_password": password, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert here.get("/persons/").status_code == 200
    assert elsewhere.get("/persons/").status_code == 302
    assert UserSession.objects.filter(user=user).count() == 1


def test_req8_session_cookie_is_httponly_and_samesite_strict(client, user, password, sign_in):
    sign_in(client, user, password)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Strict"
    assert django_settings.CSRF_COOKIE_SAMESITE == "Strict"


def test_req8_cookies_are_secure_outside_tests_and_debug(tmp_path):
    code = (
        "import vigil.settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE, s.SESSION_COOKIE_AGE <= 12 * 3600)"
    )
    env = child_env()
    env["VIGIL_DATA_DIR"] = str(tmp_path)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["True", "True", "True", "Strict", "True"]


def test_activity_is_written_at_most_once_a_minute():
    session = {sessions.SEEN_AT: 1000.0}
    sessions.touch(session, at=1030.0)
    assert session[sessions.SEEN_AT] == 1000.0  # no session write for every request
    sessions.touch(session, at=1061.0)
    assert session[sessions.SEEN_AT] == 1061.0
    fresh: dict[str, float] = {}
    sessions.touch(fresh, at=5.0)
    assert fresh[sessions.SEEN_AT] == 5.0


def test_req8_a_session_row_deleted_or_expired_on_the_server_signs_the_browser_out_at_once(
    client, user, device
):
    login_verified(client, user)
    assert client.get("/persons/").status_code == 200
    key = client.session.session_key
    past = timezone.now() - timedelta(seconds=1)
    Session.objects.filter(session_key=key).update(expire_date=past)
    assert client.get("/persons/")["Location"].startswith("/accounts/login/")
    login_verified(client, user)
    assert client.get("/persons/").status_code == 200
    Session.objects.filter(session_key=client.session.session_key).delete()
    assert client.get("/persons/")["Location"].startswith("/accounts/login/")
