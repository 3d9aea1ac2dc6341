"""`vigil users`: the operator creates accounts with a role and changes roles, audited."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from vigil.accounts.models import User
from vigil.audit.models import AuditEntry
from vigil.core.errors import NotFound, ValidationFailed

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("users", *args, stdout=out)
    return out.getvalue()


def test_users_add_creates_an_admin_who_can_sign_in_and_must_enrol_2fa() -> None:
    printed = run("add", "fictional-first-admin", "--role", "admin")
    password = printed.split("One-time password: ")[1].split()[0]
    user = User.objects.get(username="fictional-first-admin")
    assert user.role == "admin" and user.is_staff and user.is_superuser
    assert user.check_password(password)
    assert not hasattr(user, "totp_device")
    entry = AuditEntry.objects.get(event="user_created")
    assert entry.meta["role"] == "admin"
    assert password not in str(entry.meta)


def test_users_role_changes_the_role_and_is_audited() -> None:
    run("add", "fictional-documenter", "--role", "documenter")
    run("role", "fictional-documenter", "analyst")
    user = User.objects.get(username="fictional-documenter")
    assert user.role == "analyst" and not user.is_staff
    assert AuditEntry.objects.filter(event="role_changed", meta__role="analyst").count() == 1


def test_users_refuses_a_duplicate_name_and_an_unknown_account() -> None:
    run("add", "fictional-viewer", "--role", "viewer")
    with pytest.raises(ValidationFailed):
        run("add", "fictional-viewer", "--role", "viewer")
    with pytest.raises(NotFound):
        run("role", "nobody-at-all", "viewer")


def test_users_list_shows_role_and_whether_2fa_is_enrolled() -> None:
    run("add", "fictional-analyst", "--role", "analyst")
    listed = run("list")
    assert "fictional-analyst" in listed and "analyst" in listed
    assert listed.strip().splitlines()[-1].endswith("no")
