"""Round trips through encrypted storage, abandoned streams, and the sniffer's invariants."""

from __future__ import annotations

import hashlib
import io
import threading
import time
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vigil.evidence.access import original_chunks
from vigil.evidence.ingest import ingest
from vigil.evidence.sniff import OCTET_STREAM, SERVED_AS_IS, served_type, sniff
from vigil.evidence.storage import stored_path
from vigil.evidence.verify import check_file


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(min_size=1, max_size=200_000))
def test_ingest_then_read_gives_back_the_exact_bytes_and_hash(source: Any, data: bytes) -> None:
    evidence = ingest(source, io.BytesIO(data), "fictional.bin")
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert b"".join(original_chunks(evidence)) == data
    assert check_file(evidence).ok


def test_an_abandoned_download_stops_its_decrypting_thread(source: Any) -> None:
    evidence = ingest(source, io.BytesIO(b"\x5a" * (8 * 1024 * 1024)), "big.bin")
    before = threading.active_count()
    chunks = original_chunks(evidence)
    first = next(chunks)
    assert first and len(first) < evidence.size
    chunks.close()
    deadline = time.monotonic() + 5
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert threading.active_count() == before


def test_a_missing_stored_file_is_reported_not_crashed(source: Any) -> None:
    evidence = ingest(source, io.BytesIO(b"fictional"), "a.txt")
    stored_path(evidence.stored_name).unlink()
    check = check_file(evidence)
    assert not check.ok and "missing" in check.problem


@given(st.binary(max_size=600), st.sampled_from(["text/html", "image/svg+xml", "image/png", None]))
def test_sniff_never_believes_a_declared_type_that_could_render(data: bytes, declared: Any) -> None:
    found = sniff(data, declared=declared)
    assert found not in {"text/html", "image/svg+xml"}
    if declared == "image/png":
        assert found != "image/png" or data.startswith(b"\x89PNG")


@given(st.text(max_size=60))
def test_served_type_is_allow_listed_or_octet_stream(content_type: str) -> None:
    assert served_type(content_type) in SERVED_AS_IS | {OCTET_STREAM}


def test_key_rotation_rewraps_file_keys_and_files_still_open(source: Any) -> None:
    from vigil.backup.rotation import rotate_org_key
    from vigil.evidence.models import EvidenceKey

    evidence = ingest(source, io.BytesIO(b"fictional statement"), "a.txt")
    before = EvidenceKey.objects.values_list("identity", flat=True).get(evidence=evidence)
    report = rotate_org_key()
    after = EvidenceKey.objects.values_list("identity", flat=True).get(evidence=evidence)
    assert report.values >= 1 and after != before
    assert b"".join(original_chunks(evidence)) == b"fictional statement"
