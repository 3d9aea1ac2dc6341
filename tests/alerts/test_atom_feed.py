"""Issue 12 §1: an authenticated Atom feed of a user's notifications, behind a revocable token.

The XML is parsed: the Atom namespace, one entry per notification the user may see now, titled
by the kind of event, with no name; the policy applies when the reader asks, not when the
notification was written.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from vigil.accounts.testing import login_verified
from vigil.alerts import feed
from vigil.alerts.models import FeedToken, Notification
from vigil.audit.models import AuditEntry
from vigil.core.context import change_context
from vigil.records.models import Person

from .conftest import make_user

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
NAME = "Fictional Feedperson Atomava"


@pytest.fixture
def notified(settings):
    settings.VIGIL_BASE_URL = "https://vigil.example.org"
    owner = make_user("fictional-documenter", "documenter")
    viewer = make_user("fictional-viewer", "viewer")
    with change_context("test", actor=owner):
        person = Person(display_name=NAME, confidentiality="internal")
        person.save()
    ct = ContentType.objects.get_for_model(Person)
    for kind in ("act.created", "hearing.due"):
        Notification.objects.create(
            recipient=viewer, kind=kind, target_type=ct, target_id=person.pk, dedup_key=kind
        )
    return owner, viewer, person


def _entries(body: bytes) -> tuple[ET.Element, list[ET.Element]]:
    root = ET.fromstring(body)
    assert root.tag == f"{ATOM}feed"
    return root, root.findall(f"{ATOM}entry")


def test_the_feed_is_atom_with_one_entry_per_notification_titled_by_kind_only(notified):
    _, viewer, person = notified
    token = feed.issue(viewer)
    response = Client().get(f"/alerts/feed/{token}.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert response["Cache-Control"] == "no-store"
    root, entries = _entries(response.content)
    assert root.findtext(f"{ATOM}title") == "Vigil: your notifications"
    assert root.findtext(f"{ATOM}id")
    titles = sorted(e.findtext(f"{ATOM}title") for e in entries)
    assert titles == [
        "A hearing is coming up for a person you watch",
        "A new act was recorded for a person you watch",
    ]
    for entry in entries:
        assert entry.find(f"{ATOM}link").get("href") == (
            f"https://vigil.example.org/persons/{person.pk}/"
        )
        assert entry.findtext(f"{ATOM}id").startswith("urn:uuid:")
        assert entry.findtext(f"{ATOM}updated")
    assert NAME not in response.content.decode() and "Atomava" not in response.content.decode()


def test_the_feed_follows_the_policy_when_read_and_the_users_language(notified):
    owner, viewer, person = notified
    token = feed.issue(viewer)
    viewer.language = "ru"
    viewer.save(update_fields=["language"])
    _, entries = _entries(Client().get(f"/alerts/feed/{token}.atom").content)
    assert "Скоро судебное заседание по делу человека, за которым вы следите" in [
        e.findtext(f"{ATOM}title") for e in entries
    ]
    with change_context("test", actor=owner):
        person.confidentiality = "restricted"  # viewers see it only by grant
        person.save()
    _, entries = _entries(Client().get(f"/alerts/feed/{token}.atom").content)
    assert entries == []


def test_the_feed_token_is_stored_as_a_digest_revocable_and_audited(notified):
    _, viewer, _ = notified
    client = login_verified(Client(), viewer)
    assert client.post("/alerts/settings/feed/").status_code == 302
    page = client.get("/alerts/settings/").content.decode()
    assert "/alerts/feed/" in page and ".atom" in page
    token = page.split("/alerts/feed/")[1].split(".atom")[0]
    assert FeedToken.objects.get().digest != token
    assert Client().get(f"/alerts/feed/{token}.atom").status_code == 200
    assert "/alerts/feed/" not in client.get("/alerts/settings/").content.decode()  # shown once

    second = feed.issue(viewer)
    assert Client().get(f"/alerts/feed/{token}.atom").status_code == 404
    assert Client().get(f"/alerts/feed/{second}.atom").status_code == 200
    client.post("/alerts/settings/feed/", {"revoke": "1"})
    assert Client().get(f"/alerts/feed/{second}.atom").status_code == 404
    assert Client().get("/alerts/feed/not-a-token.atom").status_code == 404
    events = list(AuditEntry.objects.values_list("event", flat=True))
    assert events.count("token_issued") == 2 and "token_revoked" in events
    metas = [str(m) for m in AuditEntry.objects.values_list("meta", flat=True)]
    assert all(token not in m and second not in m for m in metas)


def test_a_disabled_users_feed_stops(notified):
    _, viewer, _ = notified
    token = feed.issue(viewer)
    viewer.is_active = False
    viewer.save(update_fields=["is_active"])
    assert Client().get(f"/alerts/feed/{token}.atom").status_code == 404
