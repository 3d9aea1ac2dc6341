"""Issue 12 §1: alert e-mails at once or as a daily digest, sent once, through a real SMTP server.

A user on the daily digest gets one e-mail a day listing the kinds of events with links (no
names, places or record text); a second run, a racing run or a run that died sends nothing
twice and loses nothing, and what the digest lists is what the policy lets them see when it
leaves.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from vigil.accounts.testing import login_verified
from vigil.alerts.delivery import LEASE, claim, deliver_due
from vigil.alerts.digest import cadence_of, compose_digests, set_cadence
from vigil.alerts.models import DIGEST, EmailPreference, Outbox, Outcome
from vigil.core.context import change_context
from vigil.core.errors import ConfigurationError, ValidationFailed
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

SECOND_NAME = "Fictional Hanna Dajdzhestava"
UTC = dt.UTC
# A fixed day far from today, so the term reminders of the fictional persons stay quiet.
DAY = dt.date(2031, 3, 10)


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=UTC)


def _vigil(*args: str, user: str | None = None) -> str:
    out = StringIO()
    options = {"acting_user": user} if user else {}
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def _rows(**overrides: str) -> list[dict[str, str]]:
    return [
        fictional_row(**overrides),
        fictional_row(
            id="900002",
            url="https://example.org/person/fictional-hanna",
            name=SECOND_NAME,
            **overrides,
        ),
    ]


def _import(tmp_path, name: str, **overrides: str) -> None:
    path = write_rows(tmp_path / name, _rows(**overrides))
    _vigil("import", "viasna", str(path), user="fictional-importer")


@pytest.fixture
def digest_user(tmp_path, settings):
    """Two fictional persons, both watched by a coordinator on the daily digest."""
    settings.VIGIL_DIGEST_HOUR = "7"
    make_user("fictional-importer", "documenter")
    make_user("fictional-watcher", "coordinator", "watcher@example.org")
    _import(tmp_path, "v1.csv")
    for name in (FICTIONAL_NAME, SECOND_NAME):
        _vigil("watch", "add", name, user="fictional-watcher")
    assert "Alert e-mails: daily." in _vigil("watch", "email", "daily", user="fictional-watcher")
    return [Person.objects.get(display_name=n) for n in (FICTIONAL_NAME, SECOND_NAME)]


def test_digest_is_one_email_a_day_with_links_and_kinds_only_and_never_sent_twice(
    tmp_path, digest_user, smtp_server
):
    _import(tmp_path, "v2.csv", release_date="2024-01-01")  # a new act for each person
    held = Outbox.objects.filter(channel="email")
    assert held.count() == 2 and all(r.held for r in held)

    early = deliver_due(now=at(DAY, 6))  # before the digest hour: nothing leaves
    assert (early.sent, early.digests) == (0, 0) and smtp_server.messages == []

    first = deliver_due(now=at(DAY, 8))
    assert (first.digests, first.sent) == (1, 1)
    assert len(smtp_server.messages) == 1
    recipients, message, raw = smtp_server.messages[0]
    assert recipients == ["watcher@example.org"]
    assert message["Subject"] == f"Vigil: your daily digest of {DAY.isoformat()}"
    body = message.get_payload()
    assert body.count("A new act was recorded for a person you watch") == 2
    for person in digest_user:
        assert f"https://vigil.example.org/persons/{person.pk}/" in body
    assert_names_none_of(
        raw, (FICTIONAL_NAME, "Tsvirko", SECOND_NAME, FICTIONAL_PLACE, FICTIONAL_JUDGE, "342")
    )
    assert all(r.sent_at is not None for r in held.filter(held=True))

    assert deliver_due(now=at(DAY, 12)).sent == 0  # a second run the same day: nothing
    assert _vigil("deliver").startswith("sent 0,")

    _import(tmp_path, "v3.csv", release_date="2024-01-01", arrested="2021-03-05")
    later = Outbox.objects.filter(held=True, digest__isnull=True)
    assert later.count() == 2  # the changed arrests, held
    assert deliver_due(now=at(DAY, 13)).sent == 0  # today's digest has left: wait for tomorrow
    tomorrow = deliver_due(now=at(DAY + dt.timedelta(days=1), 7))
    assert (tomorrow.digests, tomorrow.sent) == (1, 1) and len(smtp_server.messages) == 2
    assert "An act was changed for a person you watch" in smtp_server.messages[1][1].get_payload()
    assert deliver_due(now=at(DAY + dt.timedelta(days=1), 9)).sent == 0
    assert Outbox.objects.filter(payload__event=DIGEST).count() == 2


def test_a_digest_composed_twice_is_one_row_and_a_run_that_died_loses_nothing(
    tmp_path, digest_user, smtp_server
):
    _import(tmp_path, "v2.csv", release_date="2024-01-01")
    now = at(DAY, 9)
    assert compose_digests(now) == 1
    assert compose_digests(now) == 0  # a second or racing run composes nothing more
    digest = Outbox.objects.get(payload__event=DIGEST)
    assert digest.items.count() == 2 and digest.payload["items"] == 2

    _, taken = claim(now)  # a run claims the digest, then dies before sending it
    assert taken == [digest.pk]
    assert deliver_due(now=now).claimed == 0 and smtp_server.messages == []
    after = deliver_due(now=now + LEASE + dt.timedelta(seconds=1))
    assert after.sent == 1 and len(smtp_server.messages) == 1
    assert not Outbox.objects.filter(sent_at__isnull=True).exists()
    assert deliver_due(now=now + LEASE * 4).claimed == 0
    assert _vigil("deliver", "--status").startswith("due 0, retrying 0, claimed 0, sent 3")


def test_the_digest_lists_only_what_the_recipient_may_see_when_it_leaves(
    tmp_path, digest_user, smtp_server
):
    make_user("fictional-viewer", "viewer", "viewer@example.org")
    _vigil("watch", "add", str(digest_user[0].pk), user="fictional-viewer")
    _vigil("watch", "email", "daily", user="fictional-viewer")
    _import(tmp_path, "v2.csv", release_date="2024-01-01")
    with change_context("test", actor=digest_user[0].created_by):
        digest_user[0].confidentiality = "restricted"  # viewers see it only by grant
        digest_user[0].save()

    deliver_due(now=at(DAY, 8))

    sent_to = [rcpt for rcpts, _, _ in smtp_server.messages for rcpt in rcpts]
    assert sent_to == ["watcher@example.org"]
    viewer_digest = Outbox.objects.get(
        recipient__username="fictional-viewer", payload__event=DIGEST
    )
    assert viewer_digest.dropped_at is not None and viewer_digest.sent_at is None
    item = viewer_digest.items.get()
    assert item.dropped_at is not None
    assert item.log.get().outcome == Outcome.DROPPED


def test_going_back_to_immediate_releases_the_held_emails_one_by_one(
    tmp_path, digest_user, smtp_server
):
    _import(tmp_path, "v2.csv", release_date="2024-01-01")
    _vigil("watch", "email", "immediate", user="fictional-watcher")
    report = deliver_due(now=at(DAY, 3))  # before the digest hour: released, sent at once
    assert (report.sent, report.digests) == (2, 0)
    assert len(smtp_server.messages) == 2
    assert not Outbox.objects.filter(payload__event=DIGEST).exists()


def test_webhooks_stay_immediate_for_a_user_on_the_digest(
    tmp_path, digest_user, smtp_server, webhook_receiver
):
    _vigil(
        "webhooks",
        "add",
        webhook_receiver.url,
        "--secret",
        "fictional-webhook-secret-0123456789",
        user="fictional-watcher",
    )
    _import(tmp_path, "v2.csv", release_date="2024-01-01")
    report = deliver_due(now=at(DAY, 5))
    assert report.sent == 2 and len(webhook_receiver.requests) == 2
    assert smtp_server.messages == []


def test_a_bad_cadence_or_digest_hour_is_a_clear_error(tmp_path, digest_user, settings):
    from vigil.accounts.models import User

    user = User.objects.get(username="fictional-watcher")
    with pytest.raises(ValidationFailed, match="immediate, daily"):
        set_cadence(user, "weekly")
    assert cadence_of(user) == "daily"
    _import(tmp_path, "v2.csv", release_date="2024-01-01")
    settings.VIGIL_DIGEST_HOUR = "25"
    with pytest.raises(ConfigurationError, match="VIGIL_DIGEST_HOUR"):
        deliver_due(now=at(DAY, 9))
    assert not Outbox.objects.filter(payload__event=DIGEST).exists()


def test_the_settings_page_saves_the_cadence_in_every_language(digest_user):
    from vigil.accounts.models import User

    user = User.objects.get(username="fictional-watcher")
    client = login_verified(Client(), user)
    page = client.get("/alerts/settings/")
    assert page.status_code == 200
    assert 'value="daily" checked' in page.content.decode()
    assert client.post("/alerts/settings/", {"cadence": "immediate"}).status_code == 302
    assert cadence_of(user) == "immediate"
    assert client.post("/alerts/settings/", {"cadence": "hourly"}).status_code == 200
    assert EmailPreference.objects.get(user=user).cadence == "immediate"
    for language, words in (("be", "Налады апавяшчэнняў"), ("ru", "Настройки уведомлений")):
        user.language = language
        user.save(update_fields=["language"])
        text = client.get("/alerts/settings/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert words in text
        assert "Notification settings" not in text


def test_the_digest_visibility_check_in_bulk_agrees_with_the_one_by_one_check(
    tmp_path, digest_user
):
    from vigil.accounts.models import User
    from vigil.alerts.messages import visible_payloads, visible_to
    from vigil.records.models import Act

    viewer = make_user("fictional-viewer", "viewer", "viewer@example.org")
    hidden, shown = digest_user
    with change_context("test", actor=hidden.created_by):
        hidden.confidentiality = "restricted"
        hidden.save()
    act = Act.objects.filter(victim_person=shown).first()
    payloads = [
        {"event": "act.created", "record_type": "person", "record_id": str(shown.pk)},
        {"event": "act.created", "record_type": "person", "record_id": str(hidden.pk)},
        {
            "event": "act.changed",
            "record_type": "person",
            "record_id": str(shown.pk),
            "act_id": str(act.pk),
        },
        {"event": "risk.threshold", "record_type": "person", "record_id": str(shown.pk)},
        {
            "event": "hearing.due",
            "record_type": "person",
            "record_id": str(shown.pk),
            "hearing_id": "00000000-0000-0000-0000-000000000000",
        },
    ]
    watcher = User.objects.get(username="fictional-watcher")
    for user in (viewer, watcher):
        one_by_one = [visible_to(user, p) for p in payloads]
        assert visible_payloads(user, payloads) == one_by_one
    assert [visible_to(viewer, p) for p in payloads][:2] == [True, False]
    assert visible_payloads(viewer, payloads)[4] is False  # no such hearing
