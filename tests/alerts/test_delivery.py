"""Issue 12 §1 done-when: a watched person's new act reaches e-mail and a signed webhook once,
without names or record text, and never reaches a user who may no longer see the record."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from vigil.alerts.delivery import LEASE, claim, deliver_due
from vigil.alerts.models import DeliveryLog, Notification, Outbox, Outcome
from vigil.alerts.signing import verify
from vigil.core.context import change_context
from vigil.records.models import Person

from .conftest import (
    FICTIONAL_JUDGE,
    FICTIONAL_NAME,
    FICTIONAL_PLACE,
    assert_names_none_of,
    fictional_row,
    make_user,
    write_rows,
)

pytestmark = pytest.mark.django_db

SECRET = "fictional-webhook-secret-0123456789"


def _vigil(*args: str, user: str | None = None) -> str:
    out = StringIO()
    options = {"acting_user": user} if user else {}
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def _import(tmp_path, name: str, **overrides: str) -> None:
    path = write_rows(tmp_path / name, [fictional_row(**overrides)])
    _vigil("import", "viasna", str(path), user="fictional-importer")


@pytest.fixture
def watched(tmp_path):
    """A person imported, watched by a coordinator with e-mail and a webhook."""
    make_user("fictional-importer", "documenter")
    make_user("fictional-watcher", "coordinator", "watcher@example.org")
    _import(tmp_path, "v1.csv")
    person = Person.objects.get(display_name=FICTIONAL_NAME)
    _vigil("watch", "add", FICTIONAL_NAME, user="fictional-watcher")
    return person


def test_imported_act_on_a_watched_person_sends_one_email_and_one_signed_webhook_once(
    tmp_path, watched, smtp_server, webhook_receiver
):
    _vigil("webhooks", "add", webhook_receiver.url, "--secret", SECRET, user="fictional-watcher")
    assert not Outbox.objects.exists()  # the first import came before the watch

    _import(tmp_path, "v2.csv", release_date="2024-01-01")  # a new act: the release
    assert Notification.objects.filter(kind="act.created").count() == 1
    first = _vigil("deliver")

    assert "sent 2" in first
    assert len(smtp_server.messages) == 1
    recipients, message, raw = smtp_server.messages[0]
    assert recipients == ["watcher@example.org"]
    assert_names_none_of(raw, (FICTIONAL_NAME, "Tsvirko", FICTIONAL_PLACE, FICTIONAL_JUDGE, "342"))
    assert "A new act was recorded for a person you watch" in message["Subject"]
    assert f"https://vigil.example.org/persons/{watched.pk}/" in message.get_payload()

    assert len(webhook_receiver.requests) == 1
    headers, body = webhook_receiver.requests[0]
    assert verify(SECRET, headers["X-Vigil-Timestamp"], body, headers["X-Vigil-Signature"])
    assert not verify(
        "another-secret-0123456789",
        headers["X-Vigil-Timestamp"],
        body,
        headers["X-Vigil-Signature"],
    )
    payload = json.loads(body)
    assert payload["event"] == "act.created"
    assert payload["record"] == {"type": "person", "id": str(watched.pk)}
    assert FICTIONAL_NAME not in body.decode() and FICTIONAL_PLACE not in body.decode()

    second = _vigil("deliver")
    assert "sent 0" in second
    assert len(smtp_server.messages) == 1 and len(webhook_receiver.requests) == 1
    assert DeliveryLog.objects.filter(outcome=Outcome.SENT).count() == 2


def test_user_who_can_no_longer_see_the_record_gets_nothing(tmp_path, watched, smtp_server):
    make_user("fictional-viewer", "viewer", "viewer@example.org")
    _vigil("watch", "add", str(watched.pk), user="fictional-viewer")
    coordinator = watched.created_by
    with change_context("test", actor=coordinator):
        watched.confidentiality = "restricted"  # viewers see restricted records only by grant
        watched.save()
    _import(tmp_path, "v2.csv", release_date="2024-01-01")

    _vigil("deliver")

    sent_to = [rcpt for rcpts, _, _ in smtp_server.messages for rcpt in rcpts]
    assert sent_to == ["watcher@example.org"]
    dropped = Outbox.objects.get(recipient__username="fictional-viewer")
    assert dropped.dropped_at is not None and dropped.sent_at is None
    assert dropped.log.get().outcome == Outcome.DROPPED


def test_notifications_and_outbox_rows_roll_back_with_the_import_that_wrote_them(tmp_path, watched):
    from django.db import transaction

    from vigil.accounts.models import User
    from vigil.importers.viasna import import_viasna

    path = write_rows(tmp_path / "v2.csv", [fictional_row(release_date="2024-01-01")])
    importer = User.objects.get(username="fictional-importer")
    with pytest.raises(RuntimeError), change_context("test", actor=importer):
        with transaction.atomic():
            import_viasna(path)
            assert Notification.objects.count() == 1 and Outbox.objects.count() == 1
            raise RuntimeError("the import's transaction fails after the act was written")
    assert not Notification.objects.exists()
    assert not Outbox.objects.exists()


def test_failed_webhook_is_retried_after_a_backoff_and_then_sent_once(
    tmp_path, watched, smtp_server, webhook_receiver
):
    _vigil("webhooks", "add", webhook_receiver.url, "--secret", SECRET, user="fictional-watcher")
    _import(tmp_path, "v2.csv", release_date="2024-01-01")
    webhook_receiver.status = 500

    report = deliver_due()
    assert (report.sent, report.failed) == (1, 1)  # the e-mail went, the webhook did not
    row = Outbox.objects.get(channel="webhook")
    assert row.attempts == 1 and row.sent_at is None and "HTTP 500" in row.last_error
    assert row.due_at > timezone.now()

    webhook_receiver.status = 200
    assert deliver_due().claimed == 0  # not due yet
    later = deliver_due(now=row.due_at + timedelta(seconds=1))
    assert later.sent == 1
    assert deliver_due(now=row.due_at + timedelta(hours=1)).claimed == 0
    assert len(webhook_receiver.requests) == 2  # the refused one and the accepted one
    outcomes = list(row.log.values_list("outcome", flat=True))
    assert outcomes == [Outcome.FAILED, Outcome.SENT]
    status = _vigil("deliver", "--status")
    assert status.startswith("due 0, retrying 0, claimed 0, sent 2, dropped 0")
    assert "HTTP 500 from the webhook" in status


def test_a_row_claimed_by_a_run_that_died_is_sent_by_the_next_run_after_the_lease(
    tmp_path, watched, smtp_server
):
    _import(tmp_path, "v2.csv", release_date="2024-01-01")
    now = timezone.now()
    _, taken = claim(now)  # a run claims the row, then dies before sending
    assert len(taken) == 1

    assert deliver_due(now=now).claimed == 0  # a second run does not take it meanwhile
    assert smtp_server.messages == []
    after = deliver_due(now=now + LEASE + timedelta(seconds=1))
    assert after.sent == 1
    assert len(smtp_server.messages) == 1
    assert deliver_due(now=now + LEASE * 3).claimed == 0


def test_deliver_without_email_configured_is_a_clear_error_and_sends_nothing(
    tmp_path, watched, settings
):
    from vigil.core.errors import ConfigurationError

    settings.VIGIL_EMAIL_URL = ""
    _import(tmp_path, "v2.csv", release_date="2024-01-01")
    with pytest.raises(ConfigurationError, match="VIGIL_EMAIL_URL"):
        _vigil("deliver")
    row = Outbox.objects.get()
    assert row.claimed_until is None and row.attempts == 0
