"""Requirement 9: sensitive actions need a 2FA check from the last 5 minutes."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory

from vigil.accounts import sessions
from vigil.accounts.stepup import StepUpRequired, require_recent_2fa, step_up_required
from vigil.accounts.testing import login_verified

pytestmark = pytest.mark.django_db


def checked_minutes_ago(client, minutes: float) -> None:
    session = client.session
    session[sessions.VERIFIED_AT] = sessions.now() - minutes * 60
    session.save()


def request_for(user, verified_minutes_ago: float | None):
    request = RequestFactory().get("/reveal/witness/")
    request.user = user
    request.session = SessionStore()
    if verified_minutes_ago is not None:
        request.session[sessions.VERIFIED_AT] = sessions.now() - verified_minutes_ago * 60
    return request


def test_req9_require_recent_2fa_passes_within_5_minutes_and_raises_after(user):
    require_recent_2fa(request_for(user, 4.5))
    with pytest.raises(StepUpRequired):
        require_recent_2fa(request_for(user, 5.5))
    with pytest.raises(StepUpRequired):
        require_recent_2fa(request_for(user, None))


def test_req9_require_recent_2fa_refuses_anonymous_users():
    with pytest.raises(StepUpRequired):
        require_recent_2fa(request_for(AnonymousUser(), 0))


def test_req9_decorated_view_sends_a_stale_session_to_step_up_and_back(user):
    @step_up_required()
    def reveal_witness(request):
        return HttpResponse("the fictional witness")

    stale = reveal_witness(request_for(user, 6))
    assert stale.status_code == 302
    assert stale["Location"] == "/accounts/step-up/?next=%2Freveal%2Fwitness%2F"
    assert reveal_witness(request_for(user, 1)).content == b"the fictional witness"


def test_req9_step_up_page_takes_a_code_and_returns_to_the_page(client, user, device, next_code):
    login_verified(client, user)
    checked_minutes_ago(client, 10)
    first = client.get("/accounts/tokens/")
    assert first["Location"] == "/accounts/step-up/?next=%2Faccounts%2Ftokens%2F"
    wrong = client.post("/accounts/step-up/", {"code": "000000", "next": "/accounts/tokens/"})
    assert wrong.status_code == 200
    done = client.post(
        "/accounts/step-up/", {"code": next_code(device), "next": "/accounts/tokens/"}
    )
    assert done["Location"] == "/accounts/tokens/"
    assert client.get("/accounts/tokens/").status_code == 200


def test_req9_step_up_never_returns_to_another_site(client, user, device, next_code):
    login_verified(client, user)
    checked_minutes_ago(client, 10)
    done = client.post(
        "/accounts/step-up/", {"code": next_code(device), "next": "https://evil.example/"}
    )
    assert done["Location"] == "/"
