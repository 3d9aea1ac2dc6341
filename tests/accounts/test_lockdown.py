"""Requirement 10: `vigil lockdown USER` cuts an account off everywhere, and is audited."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client

from vigil.accounts import lockdown as lockdown_module
from vigil.accounts import tokens
from vigil.accounts.models import UserSession
from vigil.accounts.testing import login_verified
from vigil.core.errors import NotFound, VigilError

pytestmark = pytest.mark.django_db


@pytest.fixture
def audited(monkeypatch):
    events: list[tuple[str, dict]] = []

    def capture(event, *, actor=None, obj=None, **meta):
        events.append((event, {"actor": actor, "obj": obj, **meta}))

    monkeypatch.setattr(lockdown_module, "audit", capture)
    return events


@pytest.fixture
def revokers(monkeypatch):
    monkeypatch.setattr(lockdown_module, "_revokers", {})
    return lockdown_module


def test_req10_lockdown_command_disables_account_ends_sessions_revokes_tokens(
    user, device, password, audited, capsys
):
    browsers = [login_verified(Client(), user) for _ in range(2)]
    _token, raw = tokens.create_token(user, "fictional")
    call_command("lockdown", user.username, "--reason", "drill")
    user.refresh_from_db()
    assert not user.is_active
    assert not user.has_usable_password()
    assert not UserSession.objects.filter(user=user).exists()
    assert not Session.objects.filter(
        session_key__in=[b.session.session_key for b in browsers]
    ).exists()
    assert all(b.get("/persons/").status_code == 302 for b in browsers)
    assert tokens.authenticate_token(raw) is None
    assert authenticate(username=user.username, password=password) is None
    out = capsys.readouterr().out
    assert "sessions ended:     2" in out and "API tokens revoked: 1" in out


def test_req10_lockdown_runs_registered_grant_revokers(user, revokers, audited):
    seen = []

    @revokers.register_revoker
    def revoke_fictional_grants(target):
        seen.append(target)
        return 3

    report = revokers.lockdown(user, reason="drill")
    assert seen == [user]
    assert list(report.revoked.values()) == [3]
    assert audited[-1][1]["grants"] == 3


def test_req10_failing_revoker_leaves_the_account_disabled_and_says_so(user, revokers, audited):
    def broken(target):
        raise RuntimeError("fictional outage")

    revokers.register_revoker(broken)
    with pytest.raises(VigilError, match="fictional outage"):
        call_command("lockdown", user.username)
    user.refresh_from_db()
    assert not user.is_active


def test_req10_lockdown_is_audited(user, audited):
    call_command("lockdown", user.username, "--reason", "drill")
    event, meta = audited[-1]
    assert event == "lockdown"
    assert meta["obj"] == user and meta["reason"] == "drill"
    assert {"sessions", "tokens", "grants"} <= meta.keys()


def test_req10_lockdown_reason_is_a_code_never_free_text(user):
    with pytest.raises(CommandError):
        call_command("lockdown", user.username, "--reason", "fictional free text naming someone")
    user.refresh_from_db()
    assert user.is_active


def test_req10_lockdown_of_an_unknown_account_fails_with_a_message(db):
    with pytest.raises(NotFound, match="fictional-nobody"):
        call_command("lockdown", "fictional-nobody")


def test_req10_locked_down_user_cannot_sign_in_again(client, user, sign_in, password, audited):
    lockdown_module.lockdown(user, reason="drill")
    response = sign_in(client, user, password)
    assert response.status_code == 200
    assert "did not match" in response.content.decode()


def test_req10_lockdown_writes_an_entry_to_the_real_audit_log(user):
    from django.apps import apps

    if not apps.is_installed("vigil.audit"):
        pytest.skip("the audit app is not installed in these settings")
    from vigil.audit.models import AuditEntry

    call_command("lockdown", user.username, "--reason", "infiltration")
    entry = AuditEntry.objects.filter(event="lockdown").order_by("-seq").first()
    assert entry is not None
    assert entry.meta["reason"] == "infiltration" and entry.meta["target"] == str(user.pk)
