"""`vigil watch`, `vigil webhooks`, `vigil users add --email`: through the policy, clean errors."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from vigil.accounts.models import User
from vigil.alerts.models import Watch, Webhook
from vigil.core.context import change_context
from vigil.core.errors import Forbidden, NotFound, ValidationFailed
from vigil.records.models import Person

from .conftest import make_user

pytestmark = pytest.mark.django_db

SECRET = "fictional-webhook-secret-0123456789"


def _vigil(*args: str, user: str | None = None) -> str:
    out = StringIO()
    options = {"acting_user": user} if user else {}
    call_command(*args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def person():
    owner = make_user("fictional-documenter", "documenter")
    with change_context("test", actor=owner):
        person = Person(display_name="Fictional Watchable", confidentiality="internal")
        person.save()
    return person


def test_watch_add_by_name_and_by_id_once_and_list_shows_it(person):
    make_user("fictional-analyst", "analyst")
    assert "Now watching person" in _vigil(
        "watch", "add", "Fictional Watchable", user="fictional-analyst"
    )
    assert "Already watching" in _vigil("watch", "add", str(person.pk), user="fictional-analyst")
    assert Watch.objects.filter(user__username="fictional-analyst").count() == 1
    listing = _vigil("watch", "list", user="fictional-analyst")
    assert str(person.pk) in listing and "Fictional Watchable" not in listing


def test_watch_add_refuses_a_record_the_user_may_not_view(person):
    make_user("fictional-viewer", "viewer")
    with change_context("test", actor=person.created_by):
        person.confidentiality = "secret"
        person.save()
    with pytest.raises(NotFound):
        _vigil("watch", "add", str(person.pk), user="fictional-viewer")
    with pytest.raises(NotFound):
        _vigil("watch", "add", "Fictional Watchable", user="fictional-viewer")
    assert not Watch.objects.exists()


def test_watch_list_marks_a_record_no_longer_visible_without_naming_it(person):
    make_user("fictional-viewer", "viewer")
    _vigil("watch", "add", str(person.pk), user="fictional-viewer")
    with change_context("test", actor=person.created_by):
        person.confidentiality = "secret"
        person.save()
    assert "no longer visible" in _vigil("watch", "list", user="fictional-viewer")


def test_webhooks_add_is_for_admins_and_coordinators_with_a_valid_url_and_events():
    make_user("fictional-analyst", "analyst")
    make_user("fictional-coordinator", "coordinator")
    with pytest.raises(Forbidden):
        _vigil(
            "webhooks",
            "add",
            "https://hooks.example.org/x",
            "--secret",
            SECRET,
            user="fictional-analyst",
        )
    with pytest.raises(ValidationFailed, match="http"):
        _vigil(
            "webhooks",
            "add",
            "ftp://hooks.example.org/x",
            "--secret",
            SECRET,
            user="fictional-coordinator",
        )
    with pytest.raises(ValidationFailed, match="16 characters"):
        _vigil(
            "webhooks",
            "add",
            "https://hooks.example.org/x",
            "--secret",
            "short",
            user="fictional-coordinator",
        )
    with pytest.raises(ValidationFailed, match="Unknown event 'act.deleted'"):
        _vigil(
            "webhooks",
            "add",
            "https://hooks.example.org/x",
            "--secret",
            SECRET,
            "--events",
            "act.created,act.deleted",
            user="fictional-coordinator",
        )
    out = _vigil(
        "webhooks",
        "add",
        "https://hooks.example.org/x",
        "--secret",
        SECRET,
        "--events",
        "act.created",
        user="fictional-coordinator",
    )
    assert "added for act.created" in out
    hook = Webhook.objects.get()
    assert hook.wants("act.created") and not hook.wants("act.changed")
    assert SECRET not in _vigil("webhooks", "list", user="fictional-coordinator")


def test_webhook_secret_is_encrypted_at_rest():
    make_user("fictional-coordinator", "coordinator")
    _vigil(
        "webhooks",
        "add",
        "https://hooks.example.org/x",
        "--secret",
        SECRET,
        user="fictional-coordinator",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM alerts_webhook")
        (stored,) = cursor.fetchone()
    assert SECRET not in stored
    assert Webhook.objects.get().secret == SECRET


def test_users_add_stores_the_email_and_refuses_a_malformed_one():
    _vigil(
        "users", "add", "fictional-alerted", "--role", "viewer", "--email", "alerted@example.org"
    )
    assert User.objects.get(username="fictional-alerted").email == "alerted@example.org"
    with pytest.raises(ValidationFailed, match="not an e-mail address"):
        _vigil("users", "add", "fictional-bad", "--role", "viewer", "--email", "nobody@")
    assert not User.objects.filter(username="fictional-bad").exists()


def test_watch_and_webhooks_act_as_a_user_and_deliver_and_worker_are_operator_commands():
    from django.core.management import get_commands, load_command_class

    from vigil.policy.acting import ActingCommand

    commands = get_commands()
    for name in ("watch", "webhooks"):
        assert isinstance(load_command_class(commands[name], name), ActingCommand), name
    for name in ("deliver", "worker"):
        assert not isinstance(load_command_class(commands[name], name), ActingCommand), name


def test_deliver_and_worker_refuse_a_non_positive_lease():
    with pytest.raises(ValidationFailed, match="positive"):
        _vigil("deliver", "--lease", "0")
    with pytest.raises(ValidationFailed, match="positive"):
        _vigil("worker", "--every", "0")


def test_webhooks_disable_only_the_owners_webhook():
    make_user("fictional-coordinator", "coordinator")
    make_user("fictional-admin", "admin")
    _vigil(
        "webhooks",
        "add",
        "https://hooks.example.org/x",
        "--secret",
        SECRET,
        user="fictional-coordinator",
    )
    hook = Webhook.objects.get()
    with pytest.raises(NotFound):
        _vigil("webhooks", "disable", str(hook.pk), user="fictional-admin")
    with pytest.raises(ValidationFailed, match="not a webhook id"):
        _vigil("webhooks", "disable", "nope", user="fictional-coordinator")
    assert Webhook.objects.get().active
    _vigil("webhooks", "disable", str(hook.pk), user="fictional-coordinator")
    assert not Webhook.objects.get().active
    assert "inactive" in _vigil("webhooks", "list", user="fictional-coordinator")
