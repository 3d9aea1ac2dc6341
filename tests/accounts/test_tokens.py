"""Requirement 17 (API tokens): issued after 2FA, stored hashed, expiring, revocable."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.utils import timezone

from vigil.accounts import sessions, tokens
from vigil.accounts.models import ApiToken
from vigil.accounts.stepup import StepUpRequired
from vigil.accounts.testing import login_verified
from vigil.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def test_req17_token_is_stored_only_as_its_sha256(user):
    token, raw = tokens.create_token(user, "fictional sync script")
    assert raw.startswith(tokens.PREFIX) and len(raw) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert all(raw[len(tokens.PREFIX) :] not in str(v) for v in vars(stored).values())


def test_req17_valid_token_authenticates_its_user_and_records_use(user):
    token, raw = tokens.create_token(user, "fictional")
    assert tokens.authenticate_token(raw) == user
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("raw", ["", "vigil_", "vigil_not-a-token", "Bearer x", "x" * 500])
def test_req17_unknown_tokens_are_refused(user, raw):
    tokens.create_token(user, "fictional")
    assert tokens.authenticate_token(raw) is None


def test_req17_expired_token_is_refused(user):
    token, raw = tokens.create_token(user, "fictional", days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert tokens.authenticate_token(raw) is None


def test_req17_revoked_token_and_token_of_disabled_user_are_refused(user, make_user):
    token, raw = tokens.create_token(user, "fictional")
    tokens.revoke(token)
    assert tokens.authenticate_token(raw) is None
    other = make_user("fictional-colleague")
    _t, raw2 = tokens.create_token(other, "fictional")
    other.is_active = False
    other.save()
    assert tokens.authenticate_token(raw2) is None


def test_req17_token_lifetime_is_bounded(user):
    with pytest.raises(ValidationFailed):
        tokens.create_token(user, "fictional", days=tokens.MAX_DAYS + 1)
    with pytest.raises(ValidationFailed):
        tokens.create_token(user, "  ")


def test_req17_tokens_are_issued_only_from_a_freshly_2fa_checked_session(user):
    request = RequestFactory().post("/accounts/tokens/")
    request.user = user
    request.session = SessionStore()
    with pytest.raises(StepUpRequired):
        tokens.issue_token(request, "fictional")
    request.session[sessions.VERIFIED_AT] = sessions.now()
    _token, raw = tokens.issue_token(request, "fictional")
    assert tokens.authenticate_token(raw) == user


def test_req17_token_page_shows_a_new_token_once(client, user, device):
    login_verified(client, user)
    created = client.post("/accounts/tokens/", {"name": "fictional export bot", "days": 7})
    raw = re.search(r'class="api-token">([^<]+)<', created.content.decode()).group(1)
    assert tokens.authenticate_token(raw) == user
    assert raw not in client.get("/accounts/tokens/").content.decode()
    assert "no-store" in created["Cache-Control"].split(", ")


def test_req17_user_can_revoke_only_their_own_token(client, user, device, make_user):
    other = make_user("fictional-colleague")
    theirs, raw = tokens.create_token(other, "fictional")
    login_verified(client, user)
    assert client.post(f"/accounts/tokens/{theirs.pk}/revoke/").status_code == 404
    assert tokens.authenticate_token(raw) == other
    mine, mine_raw = tokens.create_token(user, "fictional")
    client.post(f"/accounts/tokens/{mine.pk}/revoke/")
    assert tokens.authenticate_token(mine_raw) is None
