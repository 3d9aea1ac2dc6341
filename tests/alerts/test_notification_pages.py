"""The bell in the header, the notifications page and marking read, through the policy."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from vigil.accounts.testing import login_verified
from vigil.alerts.models import Notification
from vigil.alerts.notifications import unread_count
from vigil.core.context import change_context
from vigil.records.models import Person

from .conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def notified():
    owner = make_user("fictional-documenter", "documenter")
    viewer = make_user("fictional-viewer", "viewer")
    with change_context("test", actor=owner):
        person = Person(display_name="Fictional Bellperson", confidentiality="internal")
        person.save()
    ct = ContentType.objects.get_for_model(Person)
    for kind in ("act.created", "act.changed"):
        Notification.objects.create(
            recipient=viewer, kind=kind, target_type=ct, target_id=person.pk, dedup_key=kind
        )
    return viewer, person


def test_header_bell_shows_the_unread_count_and_the_list_links_to_the_record(notified):
    viewer, person = notified
    client = login_verified(Client(), viewer)
    page = client.get("/alerts/").content.decode()
    assert 'class="bell__count">2<' in page
    assert "A new act was recorded for a person you watch" in page
    assert f"/persons/{person.pk}/" in page
    assert "Fictional Bellperson" not in page


def test_mark_one_read_then_all_read(notified):
    viewer, _ = notified
    client = login_verified(Client(), viewer)
    first = Notification.objects.filter(recipient=viewer).first()
    assert client.post("/alerts/read/", {"id": str(first.pk)}).status_code == 302
    assert unread_count(viewer) == 1
    client.post("/alerts/read/", {"id": "not-an-id"})
    assert unread_count(viewer) == 1
    client.post("/alerts/read/")
    assert unread_count(viewer) == 0


def test_another_users_notification_cannot_be_marked_read(notified):
    viewer, _ = notified
    other = make_user("fictional-other", "viewer")
    client = login_verified(Client(), other)
    for item in Notification.objects.filter(recipient=viewer):
        client.post("/alerts/read/", {"id": str(item.pk)})
    assert unread_count(viewer) == 2


def test_notifications_about_a_record_no_longer_visible_are_hidden_and_not_counted(notified):
    viewer, person = notified
    with change_context("test", actor=person.created_by):
        person.confidentiality = "secret"
        person.save()
    assert unread_count(viewer) == 0
    page = login_verified(Client(), viewer).get("/alerts/").content.decode()
    assert "No notifications." in page and 'class="bell__count">0<' in page


def test_notifications_page_needs_sign_in():
    response = Client().get("/alerts/")
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_notifications_page_and_bell_in_belarusian(notified):
    viewer, _ = notified
    viewer.language = "be"
    viewer.save(update_fields=["language"])
    client = login_verified(Client(), viewer)
    page = client.get("/alerts/", HTTP_ACCEPT_LANGUAGE="be").content.decode()
    assert "Апавяшчэнні" in page
    assert "Новае дзеянне запісана для асобы, за якой вы сочыце" in page
    assert "2 непрачытаныя апавяшчэнні" in page


def test_email_is_written_in_the_recipients_language(notified):
    from vigil.alerts.messages import email_of

    viewer, person = notified
    viewer.language = "ru"
    payload = {"event": "act.changed", "record_type": "person", "record_id": str(person.pk)}
    subject, body = email_of(viewer, payload)
    assert "Изменено действие в отношении лица, за которым вы следите" in subject
    assert f"/persons/{person.pk}/" in body and "Fictional Bellperson" not in body


def test_watch_button_on_the_person_page_watches_and_stops_watching(notified):
    from vigil.alerts.models import Watch

    viewer, person = notified
    client = login_verified(Client(), viewer)
    page = client.get(f"/persons/{person.pk}/").content.decode()
    assert 'action="/alerts/watch/"' in page and "Stop watching" not in page
    form = {"type": "person", "id": str(person.pk)}
    response = client.post("/alerts/watch/", form)
    assert response.status_code == 302 and response["Location"] == f"/persons/{person.pk}/"
    assert Watch.objects.filter(user=viewer, target_id=person.pk).count() == 1
    assert "Stop watching" in client.get(f"/persons/{person.pk}/").content.decode()
    client.post("/alerts/watch/", {**form, "stop": "1"})
    assert not Watch.objects.filter(user=viewer).exists()


@pytest.mark.parametrize(
    "form",
    [
        {"type": "person", "id": "not-an-id"},
        {"type": "user", "id": "00000000-0000-0000-0000-000000000001"},
        {},
    ],
)
def test_watch_with_a_bad_record_is_not_found(notified, form):
    viewer, _ = notified
    assert login_verified(Client(), viewer).post("/alerts/watch/", form).status_code == 404


def test_a_record_the_user_may_not_view_cannot_be_watched_from_the_web(notified):
    from vigil.alerts.models import Watch

    viewer, person = notified
    with change_context("test", actor=person.created_by):
        person.confidentiality = "secret"
        person.save()
    client = login_verified(Client(), viewer)
    response = client.post("/alerts/watch/", {"type": "person", "id": str(person.pk)})
    assert response.status_code == 404
    assert not Watch.objects.exists()
