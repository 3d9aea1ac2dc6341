"""Issue 12 §1: hearings and follow-ups due, a state response received, a sanctions list version
that adds or drops a watched perpetrator: each is one notification per watcher, through the same
outbox, e-mail and signed webhook path, sent once, saying only the kind of event."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from vigil.alerts.delivery import deliver_due
from vigil.alerts.models import EventKind, Notification, Outbox
from vigil.alerts.watching import parse_events, watch
from vigil.core.context import change_context
from vigil.core.errors import ValidationFailed
from vigil.records.models import Case, Person
from vigil.responses.interventions import add_follow_up, create_intervention, record_response
from vigil.sanctions.lists import import_list
from vigil.sanctions.models import Decision, ListedEntity, ScreeningMatch
from vigil.solidarity.models import Hearing

from .conftest import make_user

pytestmark = pytest.mark.django_db

DEFENDANT = "Fictional Defendia Remindova"
JUDGE = "Fictional Judex Sanctionov"
CASE_TITLE = "Fictional case Remindercase"
SECRET = "fictional-webhook-secret-0123456789"


@pytest.fixture
def world(smtp_server):
    owner = make_user("fictional-documenter", "documenter")
    watcher = make_user("fictional-watcher", "coordinator", "watcher@example.org")
    with change_context("test", actor=owner):
        defendant = Person.objects.create(display_name=DEFENDANT)
        judge = Person.objects.create(display_name=JUDGE)
        case = Case.objects.create(title=CASE_TITLE)
        case.persons.add(defendant)
    watch(watcher, defendant)
    watch(watcher, judge)
    return owner, watcher, defendant, judge, case


def _hearing(owner, case, days: int) -> Hearing:
    with change_context("test", actor=owner):
        return Hearing.objects.create(case=case, date=timezone.localdate() + dt.timedelta(days))


def _texts(smtp_server) -> list[str]:
    return [raw.decode("utf-8", "replace") for _, _, raw in smtp_server.messages]


def _nothing_named(smtp_server) -> None:
    for text in _texts(smtp_server):
        for secret in (DEFENDANT, "Remindova", JUDGE, "Sanctionov", CASE_TITLE, "Remindercase"):
            assert secret not in text


def test_a_hearing_within_a_week_of_a_watched_persons_case_is_one_reminder_sent_once(
    world, smtp_server, webhook_receiver
):
    owner, watcher, defendant, _, case = world
    call_command(
        "webhooks",
        "add",
        webhook_receiver.url,
        "--secret",
        SECRET,
        "--events",
        "hearing.due",
        acting_user=watcher.username,
    )
    watch(watcher, case)  # watched twice over (person and case): still one reminder
    _hearing(owner, case, 3)
    _hearing(owner, case, 30)  # not yet

    first = deliver_due()
    assert Notification.objects.filter(kind="hearing.due").count() == 1
    assert (first.reminders, first.sent) == (1, 2)
    assert "A hearing is coming up" in smtp_server.messages[0][1]["Subject"]
    body = json.loads(webhook_receiver.requests[0][1])
    assert body["event"] == "hearing.due" and "hearing_id" not in body
    _nothing_named(smtp_server)
    assert JUDGE not in webhook_receiver.requests[0][1].decode()

    again = deliver_due()
    assert (again.reminders, again.sent) == (0, 0)
    assert len(smtp_server.messages) == 1 and len(webhook_receiver.requests) == 1


def test_a_hearing_the_watcher_may_not_see_is_never_announced(world, smtp_server):
    owner, _, _, _, case = world
    viewer = make_user("fictional-viewer", "viewer", "viewer@example.org")
    with change_context("test", actor=owner):
        hidden = Case.objects.create(title="Fictional hidden case", confidentiality="secret")
        defendant = Person.objects.get(display_name=DEFENDANT)
        hidden.persons.add(defendant)
    watch(viewer, defendant)
    with change_context("test", actor=owner):
        Hearing.objects.create(
            case=hidden, date=timezone.localdate() + dt.timedelta(days=2), confidentiality="secret"
        )
    deliver_due()
    sent_to = [r for rcpts, _, _ in smtp_server.messages for r in rcpts]
    assert "viewer@example.org" not in sent_to
    assert not Outbox.objects.filter(recipient=viewer, sent_at__isnull=False).exists()


def test_a_follow_up_reached_on_an_intervention_for_a_watched_person_is_one_reminder(
    world, smtp_server
):
    owner, _, defendant, _, _ = world
    today = timezone.localdate()
    with change_context("test", actor=owner):
        appeal = create_intervention("urgent_appeal", title="Fictional appeal", persons=[defendant])
        add_follow_up(appeal, today, "Fictional second letter")
        done = add_follow_up(appeal, today, "Fictional reminder already sent")
        done.done_on = today
        done.save()
        add_follow_up(appeal, today - dt.timedelta(days=40), "Fictional long-past step")
        add_follow_up(appeal, today + dt.timedelta(days=5), "Fictional later step")

    report = deliver_due()
    assert Notification.objects.filter(kind="follow_up.due").count() == 1
    assert report.sent == 1
    subject = smtp_server.messages[0][1]["Subject"]
    assert "A follow-up is due on an intervention for a person you watch" in subject
    assert "second letter" not in _texts(smtp_server)[0]
    assert deliver_due().sent == 0


def test_a_state_response_is_announced_with_its_save_and_no_response_is_not(world, smtp_server):
    owner, _, defendant, _, case = world
    with change_context("test", actor=owner):
        appeal = create_intervention("urgent_appeal", cases=[case])
        record_response(appeal, "none")
        assert not Notification.objects.filter(kind="response.received").exists()
    watcher = world[1]
    watch(watcher, case)
    with change_context("test", actor=owner):
        record_response(appeal, "acknowledged", summary="Fictional summary of the reply")
    assert Notification.objects.filter(kind="response.received").count() == 1

    assert deliver_due().sent == 1
    text = _texts(smtp_server)[0]
    assert "A state response was received on an intervention in a case you watch" in text
    assert "Fictional summary" not in text
    _nothing_named(smtp_server)
    assert deliver_due().sent == 0


def _ftm(path: Path, ids: list[str]) -> Path:
    names = {"fict-1": JUDGE, "fict-2": "Fictional Filler Listedov"}
    lines = [
        json.dumps({"id": i, "schema": "Person", "properties": {"name": [names[i]]}}) for i in ids
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_list_version_that_drops_or_adds_a_watched_perpetrator_is_announced_once(
    world, smtp_server, tmp_path
):
    _, _, _, judge, _ = world
    import_list("ftm", _ftm(tmp_path / "v1.jsonl", ["fict-1", "fict-2"]), name="fictional")
    entity = ListedEntity.objects.get(entity_id="fict-1")
    match = ScreeningMatch(
        person=judge,
        listed_entity=entity,
        score=1.0,
        query_name=JUDGE,
        matched_name=JUDGE,
        explanation="fictional",
        decision=Decision.CONFIRMED,
    )
    with change_context("test"):
        match.save()
    assert deliver_due().sent == 0  # the first version is no change

    import_list("ftm", _ftm(tmp_path / "v2.jsonl", ["fict-2"]), name="fictional")
    assert deliver_due().sent == 1
    assert Notification.objects.filter(kind="sanctions.delisted").count() == 1
    assert "no longer names a perpetrator you watch" in smtp_server.messages[0][1]["Subject"]

    import_list("ftm", _ftm(tmp_path / "v3.jsonl", ["fict-1", "fict-2"]), name="fictional")
    assert deliver_due().sent == 1
    assert Notification.objects.filter(kind="sanctions.listed").count() == 1
    assert "now names a perpetrator you watch" in smtp_server.messages[1][1]["Subject"]
    assert deliver_due().sent == 0
    _nothing_named(smtp_server)


def test_a_new_entry_confirmed_after_its_version_was_imported_is_announced_as_listed(
    world, smtp_server, tmp_path
):
    _, _, _, judge, _ = world
    import_list("ftm", _ftm(tmp_path / "v1.jsonl", ["fict-2"]), name="fictional")
    import_list("ftm", _ftm(tmp_path / "v2.jsonl", ["fict-1", "fict-2"]), name="fictional")
    assert deliver_due().sent == 0  # nobody has confirmed the new entry yet
    match = ScreeningMatch(
        person=judge,
        listed_entity=ListedEntity.objects.get(entity_id="fict-1"),
        score=1.0,
        query_name=JUDGE,
        matched_name=JUDGE,
        explanation="fictional",
        decision=Decision.CONFIRMED,
    )
    with change_context("test"):
        match.save()
    assert deliver_due().sent == 1
    assert Notification.objects.get().kind == "sanctions.listed"
    assert deliver_due().sent == 0


def test_every_new_kind_is_a_webhook_choice_with_a_translated_label():
    new = ["hearing.due", "follow_up.due", "sanctions.listed", "sanctions.delisted"]
    assert parse_events(",".join([*new, "response.received"])) == [*new, "response.received"]
    with pytest.raises(ValidationFailed, match="follow_up.due"):
        parse_events("hearing.soon")
    for language in ("be", "ru"):
        with translation.override(language):
            labels = [str(EventKind(k).label) for k in EventKind.values]
        assert all(label and "." not in label for label in labels), labels
        assert len(set(labels)) == len(labels)
