"""Web uploads are hashed and encrypted as they stream in; no plaintext touches disk (req. 15)."""

from __future__ import annotations

import hashlib
import io
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files import temp as django_temp
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.evidence.test_verify import flip_byte
from vigil.accounts.testing import login_verified
from vigil.evidence.access import original_chunks
from vigil.evidence.errors import IntegrityFailed
from vigil.evidence.storage import stored_path
from vigil.records.models import CustodyEvent, Evidence, Source

MARKER = b"FICTIONAL-WITNESS-VIDEO-FRAME:"


def payload(megabytes: float) -> bytes:
    """Recognisable bytes that vary along the file, so a shifted or truncated copy fails."""
    size = int(megabytes * 1024 * 1024)
    block = b"".join(MARKER + str(i).encode() + b";" for i in range(4096))
    data = (block * (size // len(block) + 1))[:size]
    return data


def upload(data: bytes, name: str = "fictional-video.bin") -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


class TempFilesForbidden(AssertionError):
    """Raised by a patched tempfile function: something tried to spool plaintext."""


@pytest.fixture
def no_temp_files(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> Path:
    """Every way to make a temporary file fails the test; Django's upload folder is watched."""
    spool = tmp_path / "upload-spool"
    spool.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(spool)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise TempFilesForbidden("a temporary file was created during the upload")

    for name in ("NamedTemporaryFile", "TemporaryFile", "SpooledTemporaryFile", "mkstemp"):
        monkeypatch.setattr(tempfile, name, refuse)
    monkeypatch.setattr(django_temp, "NamedTemporaryFile", refuse)
    return spool


@pytest.fixture
def analyst_client(users: dict[str, Any]) -> Client:
    return login_verified(Client(), users["analyst"])


def files_under(folder: Path) -> Iterator[Path]:
    return (p for p in folder.rglob("*") if p.is_file())


def attach_url(kind: str, pk: Any) -> str:
    return reverse("evidence:attach", args=[kind, pk])


def test_the_watch_on_temp_files_catches_djangos_own_spooling(no_temp_files: Path) -> None:
    handler = TemporaryFileUploadHandler()
    with pytest.raises(TempFilesForbidden):
        handler.new_file("file", "fictional.bin", "application/octet-stream", 10 * 2**20)


def test_a_multi_megabyte_upload_never_creates_a_plaintext_temp_file(
    source: Source, analyst_client: Client, no_temp_files: Path, evidence_dir: Path
) -> None:
    data = payload(6)
    response = analyst_client.post(
        attach_url("source", source.pk),
        {
            "description": "Fictional video of a fictional search",
            "source": str(source.pk),
            "file": upload(data),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(no_temp_files.iterdir()) == []
    stored = list(files_under(evidence_dir))
    assert len(stored) == 1 and stored[0].suffix == ".age"
    assert MARKER not in stored[0].read_bytes()
    evidence = Evidence.objects.get()
    assert stored[0] == stored_path(evidence.stored_name)


def test_the_stored_blob_decrypts_to_the_exact_bytes_and_the_sha256_matches(
    source: Source, analyst_client: Client, users: dict[str, Any]
) -> None:
    data = payload(3.3)
    analyst_client.post(
        attach_url("source", source.pk),
        {"description": "", "source": str(source.pk), "file": upload(data, "clip.mp4")},
    )
    evidence = Evidence.objects.get()
    assert b"".join(original_chunks(evidence)) == data
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.size == len(data)
    assert evidence.original_name == "clip.mp4"
    assert evidence.source == source
    ingest = CustodyEvent.objects.get(evidence=evidence)
    assert (ingest.action, ingest.actor_id, ingest.context_kind, ingest.sha256) == (
        "ingest",
        users["analyst"].pk,
        "web",
        evidence.sha256,
    )


def test_a_flipped_byte_in_a_web_upload_fails_vigil_evidence_verify(
    source: Source,
    analyst_client: Client,
    users: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    analyst_client.post(
        attach_url("source", source.pk),
        {"source": str(source.pk), "file": upload(payload(2.7))},
    )
    evidence = Evidence.objects.get()
    monkeypatch.setenv("VIGIL_USER", users["analyst"].username)  # data commands act as a user
    call_command("evidence", "verify", str(evidence.pk), stdout=io.StringIO())
    flip_byte(stored_path(evidence.stored_name), 5000)
    with pytest.raises(IntegrityFailed, match=str(evidence.pk)):
        call_command("evidence", "verify", "--all", stdout=io.StringIO())


def test_the_result_page_shows_the_sha256_and_the_ingest_event(
    source: Source, analyst_client: Client
) -> None:
    data = b"fictional statement of a fictional witness\n" * 10
    response = analyst_client.post(
        attach_url("source", source.pk),
        {
            "description": "Fictional statement",
            "source": str(source.pk),
            "file": upload(data, "statement.txt"),
        },
        follow=True,
    )
    assert response.status_code == 200
    text = response.content.decode()
    digest = hashlib.sha256(data).hexdigest()
    assert text.count(digest) >= 2  # the stored fingerprint and the ingest event
    assert "ingest" in text and "statement.txt" in text and "Fictional statement" in text


# 1.5 MB is refused from the declared length; 1.1 MB only once the counted bytes pass 1 MB.
@pytest.mark.parametrize("megabytes", [1.5, 1.1])
def test_an_upload_over_the_limit_is_refused_and_nothing_is_kept(
    source: Source,
    analyst_client: Client,
    settings: Any,
    evidence_dir: Path,
    no_temp_files: Path,
    megabytes: float,
) -> None:
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    response = analyst_client.post(
        attach_url("source", source.pk),
        {"source": str(source.pk), "file": upload(payload(megabytes))},
    )
    assert response.status_code == 413
    assert "1 MB limit" in response.content.decode()
    assert not Evidence.all_objects.exists()
    assert list(files_under(evidence_dir)) == []


def test_an_empty_file_is_refused(source: Source, analyst_client: Client) -> None:
    response = analyst_client.post(
        attach_url("source", source.pk), {"source": str(source.pk), "file": upload(b"")}
    )
    assert response.status_code == 400
    assert not Evidence.all_objects.exists()


def test_a_post_without_the_csrf_token_stores_nothing(
    source: Source, users: dict[str, Any], evidence_dir: Path
) -> None:
    client = login_verified(Client(enforce_csrf_checks=True), users["analyst"])
    response = client.post(
        attach_url("source", source.pk), {"source": str(source.pk), "file": upload(b"x" * 999)}
    )
    assert response.status_code == 403
    assert not Evidence.all_objects.exists()
    assert list(files_under(evidence_dir)) == []


def test_a_post_with_the_csrf_token_is_accepted(source: Source, users: dict[str, Any]) -> None:
    client = login_verified(Client(enforce_csrf_checks=True), users["analyst"])
    page = client.get(attach_url("source", source.pk))
    token = page.context["csrf_token"]
    response = client.post(
        attach_url("source", source.pk),
        {"csrfmiddlewaretoken": str(token), "source": str(source.pk), "file": upload(b"fictional")},
    )
    assert response.status_code == 302
    assert Evidence.objects.count() == 1


def test_a_viewer_may_not_attach_and_the_body_is_never_read(
    source: Source, users: dict[str, Any], evidence_dir: Path
) -> None:
    client = login_verified(Client(), users["viewer"])
    assert client.get(attach_url("source", source.pk)).status_code == 200
    response = client.post(
        attach_url("source", source.pk), {"source": str(source.pk), "file": upload(b"fictional")}
    )
    assert response.status_code == 403
    assert not Evidence.all_objects.exists()
    assert list(files_under(evidence_dir)) == []


def test_a_hidden_record_looks_missing(ctx: Any, users: dict[str, Any]) -> None:
    secret = Source(title="Fictional secret testimony", confidentiality="secret")
    secret.save()
    client = login_verified(Client(), users["documenter"])
    for method in (client.get, client.post):
        assert method(attach_url("source", secret.pk)).status_code == 404
    assert client.get(attach_url("planet", secret.pk)).status_code == 404


def test_get_only_and_post_only(source: Source, analyst_client: Client) -> None:
    assert analyst_client.put(attach_url("source", source.pk)).status_code == 405
