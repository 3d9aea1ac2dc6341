"""Downloads: attachments only, nosniff, allow-listed types, no leak of hidden ids (req. 18)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests.evidence.conftest import jpeg_with_gps
from vigil.accounts.testing import login_verified
from vigil.evidence.ingest import ingest
from vigil.records.models import CustodyEvent, Source


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def analyst_client(users: dict[str, Any]) -> Client:
    return login_verified(Client(), users["analyst"])


def test_req18_downloads_are_attachments_with_nosniff(
    source: Any, analyst_client: Client, users: dict[str, Any]
) -> None:
    data = jpeg_with_gps()
    evidence = ingest(source, io.BytesIO(data), "fictional photo «1».jpg")
    response = analyst_client.get(reverse("evidence:download", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"].split(", ")
    assert body(response) == data
    last = CustodyEvent.objects.filter(evidence=evidence).order_by("-id").first()
    assert (last.action, last.actor_id, last.context_kind) == (
        "download",
        users["analyst"].pk,
        "web",
    )


def test_req18_types_off_the_allow_list_are_served_as_octet_stream(
    source: Any, analyst_client: Client
) -> None:
    html = b"<html><script>alert('fictional')</script></html>"
    evidence = ingest(source, io.BytesIO(html), "page.html", declared_type="text/html")
    zipped = ingest(source, io.BytesIO(b"PK\x03\x04" + b"\x00" * 60), "archive.zip")
    for item in (evidence, zipped):
        response = analyst_client.get(reverse("evidence:download", args=[item.pk]))
        assert response["Content-Disposition"].startswith("attachment;")
        if item is zipped:
            assert response["Content-Type"] == "application/octet-stream"
        else:
            assert response["Content-Type"] == "text/plain"


def test_req18_shared_copy_download_is_an_attachment_without_gps(
    source: Any, analyst_client: Client
) -> None:
    evidence = ingest(source, io.BytesIO(jpeg_with_gps()), "photo.jpg")
    response = analyst_client.get(reverse("evidence:share", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "photo" not in response["Content-Disposition"]
    with Image.open(io.BytesIO(response.content)) as image:
        assert not image.getexif()


def test_req18_hidden_evidence_is_not_found_for_users_who_may_not_see_it(
    ctx: Any, users: dict[str, Any]
) -> None:
    secret = Source(title="Fictional secret testimony", confidentiality="secret")
    secret.save()
    evidence = ingest(secret, io.BytesIO(b"fictional"), "a.txt")
    client = login_verified(Client(), users["viewer"])
    for name in ("evidence:download", "evidence:share", "evidence:custody"):
        assert client.get(reverse(name, args=[evidence.pk])).status_code == 404
    assert list(
        CustodyEvent.objects.filter(evidence=evidence).values_list("action", flat=True)
    ) == ["ingest"]


def test_viewer_may_not_take_a_shared_copy_out(source: Any, users: dict[str, Any]) -> None:
    evidence = ingest(source, io.BytesIO(jpeg_with_gps()), "photo.jpg")
    client = login_verified(Client(), users["viewer"])
    assert client.get(reverse("evidence:share", args=[evidence.pk])).status_code == 403


def test_custody_page_lists_the_chain(source: Any, analyst_client: Client) -> None:
    evidence = ingest(source, io.BytesIO(b"fictional"), "a.txt")
    analyst_client.get(reverse("evidence:download", args=[evidence.pk]))
    page = analyst_client.get(reverse("evidence:custody", args=[evidence.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "ingest" in text and "download" in text and evidence.sha256 in text


def test_anonymous_users_are_sent_to_login(source: Any) -> None:
    evidence = ingest(source, io.BytesIO(b"fictional"), "a.txt")
    response = Client().get(reverse("evidence:download", args=[evidence.pk]))
    assert response.status_code == 302
    assert not CustodyEvent.objects.filter(evidence=evidence, action="download").exists()
