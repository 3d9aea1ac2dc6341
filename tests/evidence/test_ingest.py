"""Ingest: streamed SHA-256, encryption at rest, limits, names and sniffed types (req. 15, 18)."""

from __future__ import annotations

import hashlib
import io
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from tests.evidence.conftest import RecordingReader, jpeg_with_gps
from vigil.core.context import without_context
from vigil.core.errors import MissingChangeContext
from vigil.evidence.access import original_chunks
from vigil.evidence.errors import UploadRefused, UploadTooLarge
from vigil.evidence.ingest import CHUNK, clean_name, ingest
from vigil.evidence.models import EvidenceKey
from vigil.evidence.storage import stored_path
from vigil.records.models import CustodyEvent, Evidence

FIFTY_MB = 50 * 1024 * 1024


def stored_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_req15_hash_is_computed_while_the_upload_streams(source: Any) -> None:
    upload = RecordingReader(FIFTY_MB)
    tracemalloc.start()
    try:
        evidence = ingest(source, upload, "fictional-recording.bin")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    expected = hashlib.sha256(b"\xa7" * FIFTY_MB).hexdigest()
    assert evidence.sha256 == expected
    assert evidence.size == FIFTY_MB
    assert upload.largest_returned <= CHUNK
    assert len(upload.sizes) >= FIFTY_MB // CHUNK
    assert peak < 16 * 1024 * 1024, f"ingest held {peak} bytes at once"


def test_req15_original_is_kept_unaltered(source: Any) -> None:
    data = jpeg_with_gps()
    evidence = ingest(source, io.BytesIO(data), "photo.jpg")
    assert b"".join(original_chunks(evidence)) == data
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()


def test_req15_stored_file_is_encrypted_at_rest(source: Any, evidence_dir: Path) -> None:
    canary = b"FICTIONAL-CANARY-7f3a9c " * 200
    evidence = ingest(source, io.BytesIO(canary), "statement.txt")
    raw = stored_path(evidence.stored_name).read_bytes()
    assert raw.startswith(b"age-encryption.org/v1")
    assert b"FICTIONAL-CANARY" not in raw
    key = EvidenceKey.objects.values_list("identity", flat=True).get(evidence=evidence)
    assert key.startswith("vgl1:"), "the file key must be stored sealed, never in clear"


def test_req15_ingest_appends_a_custody_event(source: Any) -> None:
    evidence = ingest(source, io.BytesIO(b"fictional bytes"), "a.txt")
    events = list(CustodyEvent.objects.filter(evidence=evidence))
    assert [(e.action, e.context_kind, e.sha256) for e in events] == [
        ("ingest", "test", evidence.sha256)
    ]


def test_req18_oversize_upload_is_refused_and_nothing_stored(
    source: Any, settings: Any, evidence_dir: Path
) -> None:
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    with pytest.raises(UploadTooLarge, match="larger than the 1 MB limit"):
        ingest(source, RecordingReader(1024 * 1024 + 1), "too-big.bin")
    assert stored_files(evidence_dir) == []
    assert not Evidence.all_objects.exists()
    assert not CustodyEvent.objects.exists()


def test_req18_upload_at_the_limit_is_accepted(source: Any, settings: Any) -> None:
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    evidence = ingest(source, RecordingReader(1024 * 1024), "exactly-one.bin")
    assert evidence.size == 1024 * 1024


def test_req18_empty_upload_is_refused_and_nothing_stored(source: Any, evidence_dir: Path) -> None:
    with pytest.raises(UploadRefused, match="empty"):
        ingest(source, io.BytesIO(b""), "empty.txt")
    assert stored_files(evidence_dir) == []


def test_req18_unreadable_upload_is_refused_and_nothing_stored(
    source: Any, evidence_dir: Path
) -> None:
    class Broken:
        def read(self, size: int = -1) -> bytes:
            raise OSError("connection reset")

    with pytest.raises(UploadRefused, match="could not be read"):
        ingest(source, Broken(), "broken.bin")
    assert stored_files(evidence_dir) == []


def test_req18_stored_name_contains_nothing_from_the_original_name(
    source: Any, evidence_dir: Path
) -> None:
    original = "../../etc/passwd-Фiкцыя-witness-photo.jpg"
    evidence = ingest(source, io.BytesIO(b"fictional"), original)
    path = stored_path(evidence.stored_name)
    for part in ("passwd", "witness", "photo", "jpg", "etc", "Фiкцыя", ".."):
        assert part not in evidence.stored_name
        assert part not in str(path.relative_to(evidence_dir))
    assert path.is_file()
    assert evidence.original_name == "passwd-Фiкцыя-witness-photo.jpg"


def test_req18_files_are_stored_outside_served_paths(source: Any, evidence_dir: Path) -> None:
    evidence = ingest(source, io.BytesIO(b"fictional"), "a.txt")
    path = stored_path(evidence.stored_name).resolve()
    assert path.is_relative_to(evidence_dir.resolve())
    for served in (settings.STATIC_ROOT, *settings.STATICFILES_DIRS):
        assert not path.is_relative_to(Path(served).resolve())
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)


def test_req18_disguised_file_gets_its_sniffed_type(source: Any) -> None:
    pdf = b"%PDF-1.4\n% fictional document\n1 0 obj << >> endobj\ntrailer\n%%EOF\n"
    evidence = ingest(source, io.BytesIO(pdf), "holiday.jpg", declared_type="image/jpeg")
    assert evidence.content_type == "application/pdf"
    jpeg = ingest(source, io.BytesIO(jpeg_with_gps()), "notes.txt", declared_type="text/plain")
    assert jpeg.content_type == "image/jpeg"
    html = ingest(
        source, io.BytesIO(b"<script>alert(1)</script>"), "x.png", declared_type="text/html"
    )
    assert html.content_type == "text/plain"


def test_req18_unknown_binary_is_octet_stream(source: Any) -> None:
    evidence = ingest(
        source, io.BytesIO(b"\x00\x01\x02\xff" * 50), "a.png", declared_type="image/png"
    )
    assert evidence.content_type == "application/octet-stream"


def test_ingest_refuses_to_run_outside_a_change_context(source: Any, evidence_dir: Path) -> None:
    with without_context(), pytest.raises(MissingChangeContext):
        ingest(source, io.BytesIO(b"fictional"), "a.txt")
    assert stored_files(evidence_dir) == []


@given(st.text(max_size=400))
def test_clean_name_never_keeps_a_path_or_control_character(name: str) -> None:
    cleaned = clean_name(name)
    assert cleaned
    assert len(cleaned) <= 300
    assert "/" not in cleaned and "\\" not in cleaned
    assert not any(ord(c) < 32 or ord(c) == 127 for c in cleaned)
