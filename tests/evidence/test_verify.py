"""`vigil evidence verify` and `custody`: a flipped byte is found and named (req. 15)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from vigil.evidence.errors import IntegrityFailed
from vigil.evidence.ingest import ingest
from vigil.evidence.storage import stored_path
from vigil.records.models import CustodyEvent

ACTING = "fictional-key-holder"


def run(*args: str) -> str:
    """`vigil evidence ARGS --as ACTING` (a fictional administrator who may see every file)."""
    from vigil.accounts.models import User

    User.objects.get_or_create(username=ACTING, defaults={"role": "admin"})
    out = io.StringIO()
    call_command("evidence", *args, acting_user=ACTING, stdout=out)
    return out.getvalue()


def flip_byte(path: Path, offset: int) -> None:
    raw = bytearray(path.read_bytes())
    raw[offset] ^= 0x01
    path.write_bytes(bytes(raw))


@pytest.fixture
def two_files(source: Any) -> list[Any]:
    return [
        ingest(source, io.BytesIO(b"fictional first statement " * 5000), "one.txt"),
        ingest(source, io.BytesIO(b"fictional second statement"), "two.txt"),
    ]


def test_req15_verify_passes_for_untouched_files(two_files: list[Any]) -> None:
    output = run("verify", "--all")
    assert "All 2 evidence file(s) match" in output
    for evidence in two_files:
        assert f"ok       {evidence.pk} sha256 {evidence.sha256}" in output


@pytest.mark.parametrize("offset", [200, -40, -1])
def test_req15_verify_detects_a_flipped_byte_and_names_the_evidence(
    two_files: list[Any], offset: int
) -> None:
    bad, good = two_files
    flip_byte(stored_path(bad.stored_name), offset)
    with pytest.raises(IntegrityFailed) as raised:
        run("verify", "--all")
    assert raised.value.exit_code == 2
    assert str(bad.pk) in raised.value.message
    assert str(good.pk) not in raised.value.message
    with pytest.raises(IntegrityFailed, match=str(bad.pk)):
        run("verify", str(bad.pk))
    assert "ok" in run("verify", str(good.pk))


def test_req15_verify_detects_a_truncated_or_missing_file(two_files: list[Any]) -> None:
    first, second = two_files
    path = stored_path(first.stored_name)
    path.write_bytes(path.read_bytes()[:-100])
    stored_path(second.stored_name).unlink()
    with pytest.raises(IntegrityFailed) as raised:
        run("verify", "--all")
    assert str(first.pk) in raised.value.message and str(second.pk) in raised.value.message


def test_req15_verify_detects_a_changed_recorded_hash(two_files: list[Any]) -> None:
    evidence = two_files[0]
    type(evidence).all_objects.filter(pk=evidence.pk).update(sha256="0" * 64)
    with pytest.raises(IntegrityFailed, match=str(evidence.pk)):
        run("verify", str(evidence.pk))


def test_req15_verify_appends_a_custody_event_with_the_hash_found(two_files: list[Any]) -> None:
    evidence = two_files[1]
    run("verify", str(evidence.pk))
    event = CustodyEvent.objects.filter(evidence=evidence, action="verify").get()
    assert event.sha256 == evidence.sha256
    assert event.context_kind == "cli"


def test_evidence_add_stores_a_file_and_custody_prints_the_chain(
    source: Any, tmp_path: Path
) -> None:
    upload = tmp_path / "fictional-notes.txt"
    upload.write_bytes(b"fictional notes of a fictional hearing")
    output = run("add", str(upload), "--source", str(source.pk))
    assert "Stored evidence" in output and "text/plain" in output
    evidence_id = output.split()[2].rstrip(":")
    chain = run("custody", evidence_id)
    assert " ingest " in chain
    assert evidence_id in chain


def test_evidence_commands_give_clear_errors_for_unknown_ids(tmp_path: Path, db: Any) -> None:
    from vigil.core.errors import NotFound, ValidationFailed

    with pytest.raises(ValidationFailed, match="not a evidence id|not a source id"):
        run("verify", "not-an-id")
    with pytest.raises(NotFound, match="no source"):
        run("add", str(tmp_path), "--source", "7e0a8e55-0000-4000-8000-000000000000")
