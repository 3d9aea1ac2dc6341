"""Attaching files to persons, events and acts; shared copies; interrupted uploads."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests.evidence.conftest import jpeg_with_gps
from tests.record_acts import act_of
from vigil.accounts.testing import login_verified
from vigil.evidence.access import original_chunks
from vigil.evidence.upload import EncryptingUploadHandler
from vigil.records.models import (
    Act,
    CustodyEvent,
    Event,
    Evidence,
    Information,
    Person,
    Source,
)


def upload(data: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def attach_url(kind: str, pk: Any) -> str:
    return reverse("evidence:attach", args=[kind, pk])


@pytest.fixture
def person(ctx: Any) -> Person:
    found = Person(display_name="Fictia Testovna", is_synthetic=True)
    found.save()
    return found


@pytest.fixture
def act(ctx: Any, person: Person) -> Act:
    event = Event(title="Fictional search of a fictional office", date=dt.date(2021, 3, 1))
    event.save()
    return act_of(person, "arrest", None, event=event)


def cites(source: Source, target: Any) -> bool:
    return Information.objects.filter(
        source=source,
        target_type=ContentType.objects.get_for_model(type(target)),
        target_id=target.pk,
    ).exists()


def test_a_file_for_a_person_gets_a_new_source_cited_for_that_person(
    person: Person, users: dict[str, Any]
) -> None:
    client = login_verified(Client(), users["documenter"])
    response = client.post(
        attach_url("person", person.pk),
        {
            "description": "Fictional letter from prison",
            "source": "new",
            "new_source_title": "Fictional letter, March 2021",
            "file": upload(b"fictional letter text", "letter.txt"),
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.source.title == "Fictional letter, March 2021"
    assert cites(evidence.source, person)
    assert evidence.created_by_id == users["documenter"].pk
    assert evidence.confidentiality == evidence.source.confidentiality == "internal"
    assert evidence.description == "Fictional letter from prison"


def test_a_public_record_never_makes_a_public_source(ctx: Any, users: dict[str, Any]) -> None:
    public = Person(display_name="Publica Fictiva", confidentiality="public", is_synthetic=True)
    public.save()
    client = login_verified(Client(), users["documenter"])
    response = client.post(
        attach_url("person", public.pk),
        {"source": "new", "file": upload(b"fictional", "note.txt")},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.source.title == "note.txt"
    assert evidence.source.confidentiality == "internal"


def test_a_file_for_an_act_can_join_a_source_already_cited_for_it(
    act: Act, users: dict[str, Any], ctx: Any
) -> None:
    court = Source(title="Fictional court record")
    court.save()
    Information(
        source=court,
        target_type=ContentType.objects.get_for_model(Act),
        target_id=act.pk,
    ).save()
    client = login_verified(Client(), users["analyst"])
    page = client.get(attach_url("act", act.pk)).content.decode()
    assert "Fictional court record" in page
    response = client.post(
        attach_url("act", act.pk),
        {"source": str(court.pk), "file": upload(b"%PDF-1.4 fictional", "verdict.pdf")},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.source == court
    assert Source.objects.count() == 1
    assert evidence.content_type == "application/pdf"
    assert "verdict.pdf" in client.get(attach_url("act", act.pk)).content.decode()


def test_a_source_not_cited_for_the_record_cannot_be_chosen(
    act: Act, users: dict[str, Any], ctx: Any
) -> None:
    other = Source(title="Fictional unrelated source")
    other.save()
    client = login_verified(Client(), users["analyst"])
    response = client.post(
        attach_url("act", act.pk), {"source": str(other.pk), "file": upload(b"x", "x.txt")}
    )
    assert response.status_code == 400
    assert not Evidence.all_objects.exists()


def test_an_event_page_accepts_a_file(act: Act, users: dict[str, Any]) -> None:
    client = login_verified(Client(), users["coordinator"])
    response = client.post(
        attach_url("event", act.event_id),
        {"source": "new", "file": upload(b"fictional", "photo-list.txt")},
    )
    assert response.status_code == 302
    assert cites(Evidence.objects.get().source, act.event)


def test_downloading_a_shared_copy_strips_gps_and_appends_a_custody_event(
    person: Person, users: dict[str, Any]
) -> None:
    client = login_verified(Client(), users["analyst"])
    original = jpeg_with_gps()
    client.post(
        attach_url("person", person.pk),
        {"source": "new", "file": upload(original, "photo.jpg")},
    )
    evidence = Evidence.objects.get()
    assert evidence.content_type == "image/jpeg"
    assert b"".join(original_chunks(evidence)) == original  # metadata kept in the original
    page = client.get(reverse("evidence:custody", args=[evidence.pk])).content.decode()
    assert reverse("evidence:share", args=[evidence.pk]) in page
    response = client.get(reverse("evidence:share", args=[evidence.pk]))
    assert response.status_code == 200
    with Image.open(io.BytesIO(response.content)) as image:
        assert not image.getexif()
    actions = list(
        CustodyEvent.objects.filter(evidence=evidence)
        .order_by("id")
        .values_list("action", "actor_id")
    )
    assert actions == [("ingest", users["analyst"].pk), ("share", users["analyst"].pk)]


def test_the_custody_page_offers_no_shared_copy_it_cannot_make(
    person: Person, users: dict[str, Any]
) -> None:
    client = login_verified(Client(), users["analyst"])
    client.post(attach_url("person", person.pk), {"source": "new", "file": upload(b"t", "t.txt")})
    evidence = Evidence.objects.get()
    page = client.get(reverse("evidence:custody", args=[evidence.pk])).content.decode()
    assert reverse("evidence:share", args=[evidence.pk]) not in page


def test_an_interrupted_upload_leaves_no_file(evidence_dir: Path) -> None:
    handler = EncryptingUploadHandler(limit=10 * 2**20)
    handler.handle_raw_input(None, {}, 3 * 2**20, b"boundary")
    handler.new_file("file", "clip.mp4", "video/mp4", None)
    handler.receive_data_chunk(b"\x00" * 65536, 0)
    handler.upload_interrupted()
    handler.discard_unclaimed()
    assert handler.refused is not None and "interrupted" in handler.refused.message
    assert [p for p in evidence_dir.rglob("*") if p.is_file()] == []


def test_a_file_no_record_claims_is_removed(evidence_dir: Path) -> None:
    handler = EncryptingUploadHandler(limit=10 * 2**20)
    handler.handle_raw_input(None, {}, 100, b"boundary")
    handler.new_file("file", "a.bin", "application/octet-stream", None)
    handler.receive_data_chunk(b"fictional", 0)
    staged = handler.file_complete(9)
    assert staged is not None and staged.size == 9
    assert staged.staged.path.exists()
    handler.discard_unclaimed()
    assert not staged.staged.path.exists()
    assert [p for p in evidence_dir.rglob("*") if p.is_file()] == []
