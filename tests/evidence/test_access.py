"""Access to evidence: custody for every use, metadata-free shared copies (req. 15)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from tests.evidence.conftest import jpeg_with_gps
from vigil.audit.models import AuditEntry
from vigil.core.errors import Forbidden
from vigil.evidence.access import open_original, shared_copy
from vigil.evidence.errors import IntegrityFailed, ShareRefused
from vigil.evidence.ingest import ingest
from vigil.evidence.storage import stored_path
from vigil.evidence.strip import stripped_image
from vigil.records.models import CustodyEvent, Source

GPS_IFD = 0x8825


def actions(evidence: Any) -> list[tuple[str, Any]]:
    rows = CustodyEvent.objects.filter(evidence=evidence).order_by("id")
    return [(e.action, e.actor_id) for e in rows]


@pytest.fixture
def photo(source: Any) -> Any:
    return ingest(source, io.BytesIO(jpeg_with_gps()), "fictional-photo.jpg")


def test_req15_each_view_download_export_and_share_appends_custody_event(
    photo: Any, users: dict[str, Any]
) -> None:
    analyst = users["analyst"]
    for purpose in ("view", "download", "export"):
        b"".join(open_original(photo, analyst, purpose))
    shared_copy(photo, analyst)
    assert actions(photo) == [
        ("ingest", None),
        ("view", analyst.pk),
        ("download", analyst.pk),
        ("export", analyst.pk),
        ("share", analyst.pk),
    ]
    share = CustodyEvent.objects.get(evidence=photo, action="share")
    assert share.sha256 and share.sha256 != photo.sha256, "the share records the copy's hash"
    assert share.at is not None


def test_req15_each_access_is_also_audited(photo: Any, users: dict[str, Any]) -> None:
    b"".join(open_original(photo, users["analyst"], "download"))
    entry = AuditEntry.objects.filter(event="evidence_access").order_by("-seq").first()
    assert entry is not None
    assert entry.object_id == str(photo.pk)
    assert entry.meta == {"action": "download"}
    assert entry.actor_id == str(users["analyst"].pk)


def test_req15_exif_gps_kept_in_original_and_stripped_from_shared_copy(
    photo: Any, users: dict[str, Any]
) -> None:
    original = b"".join(open_original(photo, users["analyst"], "download"))
    with Image.open(io.BytesIO(original)) as image:
        exif = image.getexif()
        assert exif.get_ifd(GPS_IFD), "the original keeps its GPS data"
        assert exif[0x0110] == "Fictional Camera 3000"
    copy = shared_copy(photo, users["analyst"])
    with Image.open(io.BytesIO(copy)) as image:
        assert image.format == "JPEG"
        assert image.size == (32, 24)
        assert not image.getexif()
        assert "exif" not in image.info
    assert b"Fictional Camera" not in copy
    assert b"Exif" not in copy


@pytest.mark.parametrize("fmt,content_type", [("PNG", "image/png"), ("WEBP", "image/webp")])
def test_req15_png_and_webp_shared_copies_lose_their_metadata(fmt: str, content_type: str) -> None:
    image = Image.new("RGBA", (8, 8), (1, 2, 3, 255))
    exif = Image.Exif()
    exif[0x0110] = "Fictional Camera 3000"
    exif[GPS_IFD] = {1: "N", 2: (53.0, 54.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif, icc_profile=b"fictional-icc-profile")
    assert b"Fictional Camera" in out.getvalue()
    copy = stripped_image(out.getvalue(), content_type)
    assert b"Fictional Camera" not in copy
    assert b"fictional-icc-profile" not in copy
    with Image.open(io.BytesIO(copy)) as clean:
        assert not clean.getexif()
        assert clean.size == (8, 8)


def test_req15_no_shared_copy_of_a_file_whose_metadata_cannot_be_removed(
    source: Any, users: dict[str, Any]
) -> None:
    pdf = ingest(source, io.BytesIO(b"%PDF-1.4\n%fictional\n%%EOF\n"), "a.pdf")
    with pytest.raises(ShareRefused, match="cannot remove the metadata"):
        shared_copy(pdf, users["analyst"])
    assert actions(pdf) == [("ingest", None)]


def test_req15_shared_copy_refused_when_the_stored_file_was_altered(
    photo: Any, users: dict[str, Any]
) -> None:
    path = stored_path(photo.stored_name)
    raw = bytearray(path.read_bytes())
    raw[-20] ^= 0x01
    path.write_bytes(bytes(raw))
    with pytest.raises(IntegrityFailed, match=str(photo.pk)):
        shared_copy(photo, users["analyst"])


def test_req15_access_refused_by_policy_leaves_no_custody_event_but_an_audit_entry(
    ctx: Any, users: dict[str, Any]
) -> None:
    secret_source = Source(title="Fictional secret testimony", confidentiality="secret")
    secret_source.save()
    evidence = ingest(secret_source, io.BytesIO(b"fictional"), "a.txt")
    with pytest.raises(Forbidden):
        open_original(evidence, users["viewer"], "download")
    with pytest.raises(Forbidden):
        shared_copy(evidence, users["analyst"])
    assert actions(evidence) == [("ingest", None)]
    assert AuditEntry.objects.filter(event="denied", object_id=str(evidence.pk)).count() == 2


def test_export_of_the_original_needs_the_export_permission(
    photo: Any, users: dict[str, Any]
) -> None:
    b"".join(open_original(photo, users["viewer"], "view"))
    with pytest.raises(Forbidden):
        open_original(photo, users["viewer"], "export")
    with pytest.raises(ValueError):
        open_original(photo, users["analyst"], "share")
