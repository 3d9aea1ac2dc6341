"""Requirement 6: TOTP is mandatory, a code works once, and without 2FA only enrolment opens."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vigil.accounts import recovery, totp
from vigil.accounts.models import RecoveryCode, TOTPDevice
from vigil.accounts.sessions import VERIFIED_AT

pytestmark = pytest.mark.django_db


def test_req6_code_is_accepted_once_and_replay_is_refused(device, code_at):
    now = time.time()
    code = code_at(device, now)
    assert totp.verify(device, code, at=now)
    assert not totp.verify(device, code, at=now)
    fresh = TOTPDevice.objects.get(pk=device.pk)
    assert not totp.verify(fresh, code, at=now + 5)


def test_req6_code_older_than_the_last_accepted_one_is_refused(device, code_at):
    now = time.time()
    assert totp.verify(device, code_at(device, now), at=now)
    assert not totp.verify(device, code_at(device, now - 30), at=now)


def test_req6_code_from_minutes_ago_or_wrong_shape_is_refused(device, code_at):
    now = time.time()
    assert not totp.verify(device, code_at(device, now - 300), at=now)
    assert not totp.verify(device, "12345", at=now)
    assert not totp.verify(device, "abcdef", at=now)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.integers(min_value=-3, max_value=3), min_size=1, max_size=10))
def test_req6_no_code_is_ever_accepted_twice_and_steps_only_increase(user, offsets):
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, secret=pyotp.random_base32(32))
    otp = pyotp.TOTP(device.secret)
    base = time.time()
    accepted: list[str] = []
    steps: list[int] = []
    for offset in offsets:
        code = otp.at(base + offset * 30)
        if totp.verify(device, code, at=base):
            accepted.append(code)
            steps.append(device.last_used_step)
    assert len(accepted) == len(set(accepted))
    assert steps == sorted(set(steps))
    assert all(abs(step - otp.timecode(base)) <= totp.DRIFT_STEPS for step in steps)


def test_req6_user_without_2fa_reaches_only_enrolment_and_logout(client, user, password, sign_in):
    response = sign_in(client, user, password)
    assert response["Location"].startswith("/accounts/2fa/enrol/")
    for url in ("/", "/persons/", "/accounts/sessions/", "/accounts/tokens/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/2fa/enrol/"), url
    assert client.get("/accounts/2fa/enrol/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/accounts/2fa/enrol/").status_code == 302


def test_req6_enrolled_user_must_enter_a_code_before_any_page(
    client, user, device, password, sign_in, next_code
):
    response = sign_in(client, user, password, next_url="/persons/")
    assert response["Location"] == "/accounts/2fa/?next=%2Fpersons%2F"
    code_page = client.get("/accounts/2fa/?next=%2Fpersons%2F").content.decode()
    assert 'class="site-nav"' not in code_page  # no navigation before the second factor
    assert "/sanctions/" not in code_page and "Log out" in code_page
    assert "/alerts/" not in code_page  # nor the notifications bell
    assert client.get("/persons/")["Location"].startswith("/accounts/2fa/")
    wrong = client.post("/accounts/2fa/", {"code": "000000", "next": "/persons/"})
    assert wrong.status_code == 200 and "not valid" in wrong.content.decode()
    ok = client.post("/accounts/2fa/", {"code": next_code(device), "next": "/persons/"})
    assert ok["Location"] == "/persons/"
    page = client.get("/persons/")
    assert page.status_code == 200
    assert 'class="site-nav"' in page.content.decode()


def test_req6_django_admin_login_without_2fa_cannot_open_admin(client, make_user):
    admin = make_user("fictional-admin", role="admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    assert client.get("/admin/")["Location"].startswith("/accounts/2fa/enrol/")


def test_req6_enrolment_shows_secret_as_text_and_local_qr_code(client, user, password, sign_in):
    sign_in(client, user, password)
    response = client.get("/accounts/2fa/enrol/")
    html = response.content.decode()
    secret = TOTPDevice.objects.get(user=user).secret
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html
    assert "<svg" in html
    assert not re.search(r"(src|href)=\"https?://", html)
    assert "no-store" in response["Cache-Control"].split(", ")


def test_req6_enrolment_confirmed_by_a_code_gives_recovery_codes_and_access(
    client, user, password, sign_in, next_code
):
    sign_in(client, user, password)
    client.get("/accounts/2fa/enrol/")
    device = TOTPDevice.objects.get(user=user)
    assert not client.post("/accounts/2fa/enrol/", {"code": "123456"}).content.count(b"<li><code>")
    response = client.post("/accounts/2fa/enrol/", {"code": next_code(device)})
    codes = re.findall(r"<li><code>([A-Z0-9-]+)</code></li>", response.content.decode())
    assert len(codes) == recovery.COUNT
    assert TOTPDevice.objects.get(user=user).is_confirmed
    assert client.session[VERIFIED_AT]
    assert client.get("/persons/").status_code == 200


def test_req6_recovery_code_works_once(user, device):
    codes = recovery.regenerate(user)
    assert recovery.use(user, codes[0].lower().replace("-", " "))
    assert not recovery.use(user, codes[0])
    assert recovery.remaining(user) == recovery.COUNT - 1


def test_req6_recovery_codes_are_stored_only_as_digests(user):
    codes = recovery.regenerate(user)
    stored = list(RecoveryCode.objects.filter(user=user).values_list("digest", flat=True))
    assert len(stored) == len(codes)
    for code in codes:
        assert all(recovery.normalise(code) not in d and code not in d for d in stored)


def test_req6_recovery_code_signs_in_when_the_phone_is_lost(
    client, user, device, password, sign_in, next_code
):
    codes = recovery.regenerate(user)
    sign_in(client, user, password)
    response = client.post("/accounts/2fa/", {"code": codes[3]})
    assert response.status_code == 302
    assert client.get("/persons/").status_code == 200
    client.post("/accounts/logout/")
    sign_in(client, user, password)
    again = client.post("/accounts/2fa/", {"code": codes[3]})
    assert again.status_code == 200


def test_req6_replayed_code_cannot_open_a_second_session(
    client, user, device, password, sign_in, next_code
):
    code = next_code(device)
    sign_in(client, user, password)
    assert client.post("/accounts/2fa/", {"code": code}).status_code == 302
    from django.test import Client

    other = Client()
    sign_in(other, user, password)
    assert other.post("/accounts/2fa/", {"code": code}).status_code == 200
    assert other.get("/persons/").status_code == 302


def test_req6_verification_rotates_the_session_key(
    client, user, device, password, sign_in, next_code
):
    sign_in(client, user, password)
    before = client.session.session_key
    client.post("/accounts/2fa/", {"code": next_code(device)})
    assert client.session.session_key != before
