"""Which saves notify whom: victims, cases and perpetrators watched; only watchers; once."""

from __future__ import annotations

import pytest

from tests.policy import factories as f
from vigil.alerts.delivery import deliver_due
from vigil.alerts.models import Notification, Outbox, Outcome, Watch
from vigil.alerts.watching import watch
from vigil.core.context import change_context
from vigil.records.models import Case, Involvement

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
