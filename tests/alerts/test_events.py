"""Which saves notify whom: victims, cases and perpetrators watched; only watchers; once."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.policy import factories as f
from vigil.alerts.delivery import deliver_due
from vigil.alerts.models import Notification, Outbox, Outcome, Watch
from vigil.alerts.terms import queue_terms_ending
from vigil.alerts.watching import watch
from vigil.core.context import change_context
from vigil.records.models import Act, Case, Involvement

from .conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return make_user("fictional-documenter", "documenter")


@pytest.fixture
def watcher():
    return make_user("fictional-watcher", "coordinator", "watcher@example.org")


def test_new_act_in_a_watched_case_notifies_the_case_watcher(author, watcher):
    with change_context("test", actor=author):
        event = f.event()
        case = f.saved(Case(title="Fictional case of the sample bar"))
        case.events.add(event)
        watch(watcher, case)
        f.act(event=event, victim_person=f.person())
    note = Notification.objects.get()
    assert (note.kind, note.target_type.model, note.target_id) == ("act.created", "case", case.pk)


def test_changed_act_notifies_with_act_changed_and_unwatched_records_notify_nobody(author, watcher):
    with change_context("test", actor=author):
        watched, other = f.person(), f.person(name="Fictional Unwatched Person")
        watch(watcher, watched)
        f.act(victim_person=other)
        assert not Notification.objects.exists()
        act = f.act(victim_person=watched)
        act.outcome = "fictional outcome"
        act.save()
    kinds = sorted(Notification.objects.values_list("kind", flat=True))
    assert kinds == ["act.changed", "act.created"]
    assert Outbox.objects.filter(channel="email").count() == 2


def test_perpetrator_linked_to_an_act_notifies_its_watcher_once_per_link(author, watcher):
    with change_context("test", actor=author):
        judge = f.person(name="Fictional Judge Examplevich")
        watch(watcher, judge)
        act = f.act(victim_person=f.person())
        link = Involvement(
            act=act, perpetrator_person=judge, role_id=f.term("perpetrator_role", "judge")
        )
        link.save()
        link.note = "fictional note"
        link.save()  # a change to the link is not a new link
    note = Notification.objects.get()
    assert (note.kind, note.target_id) == ("perpetrator.involved", judge.pk)
    assert Outbox.objects.get().payload["involvement_id"] == str(link.pk)


def test_a_hidden_perpetrator_link_is_dropped_at_delivery(author, settings):
    settings.VIGIL_EMAIL_URL = "smtp://127.0.0.1:9"  # never reached: the row is dropped first
    viewer = make_user("fictional-viewer", "viewer", "viewer@example.org")
    with change_context("test", actor=author):
        judge = f.person(name="Fictional Judge Examplevich")
        watch(viewer, judge)
        link = Involvement(
            act=f.act(victim_person=f.person()),
            perpetrator_person=judge,
            role_id=f.term("perpetrator_role", "judge"),
            confidentiality="secret",
        )
        link.save()
    report = deliver_due()
    assert (report.sent, report.dropped) == (0, 1)
    assert Outbox.objects.get().log.get().outcome == Outcome.DROPPED


def test_nobody_watching_means_no_notification_rows(author):
    with change_context("test", actor=author):
        f.act(victim_person=f.person())
    assert not Watch.objects.exists() and not Notification.objects.exists()


def _sentenced(author, arrested, months: int):
    """A fictional person arrested on ``arrested`` and sentenced to ``months`` in a colony."""
    from decimal import Decimal

    person = f.person(name="Fictional Term Examplevich")
    f.saved(
        Act(
            event=f.event(),
            victim_person=person,
            act_type_id=f.term("act_type", "arrest"),
            date=arrested,
        )
    )
    f.saved(
        Act(
            event=f.event(),
            victim_person=person,
            act_type_id=f.term("act_type", "sentence"),
            date=arrested + dt.timedelta(days=90),
            sentence_months=Decimal(months),
        )
    )
    return person


def test_term_about_to_end_is_a_reminder_once_per_watcher_and_end_date(author, watcher):
    today = dt.date(2026, 12, 5)
    with change_context("test", actor=author):
        soon = _sentenced(author, dt.date(2024, 12, 20), 24)  # ends 2026-12-20
        later = _sentenced(author, dt.date(2025, 6, 1), 24)  # ends 2027-06-01
        watch(watcher, soon)
        watch(watcher, later)
    assert queue_terms_ending(today) == 1
    assert queue_terms_ending(today) == 0  # the next run writes nothing again
    note = Notification.objects.get(kind="term.ending")
    assert note.target_id == soon.pk
    assert Outbox.objects.filter(payload__event="term.ending").count() == 1


def test_term_already_ended_by_a_release_is_no_reminder(author, watcher):
    today = dt.date(2026, 12, 5)
    with change_context("test", actor=author):
        person = _sentenced(author, dt.date(2024, 12, 20), 24)
        f.saved(
            Act(
                event=f.event(),
                victim_person=person,
                act_type_id=f.term("act_type", "release"),
                date=dt.date(2026, 1, 1),
            )
        )
        watch(watcher, person)
    assert queue_terms_ending(today) == 0
