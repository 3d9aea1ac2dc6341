"""The tail of the audit log is anchored: seals, time-based checkpoints, head anchors."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vigil.audit import audit, log
from vigil.audit.anchors import current_anchor, logged_anchors, read_anchors, write_anchor
from vigil.audit.checkpoints import create_checkpoint, export_checkpoints, read_checkpoints
from vigil.audit.errors import AuditError, AuditTampered
from vigil.audit.models import AuditCheckpoint, AuditEntry
from vigil.audit.verify import verify_log
from vigil.cli import run

from .tamper import rehash_everything, sql

pytestmark = pytest.mark.django_db


def _log(n: int) -> None:
    for i in range(n):
        audit("identity_read", field="last_name", count=i)


def _cut_after(size: int, *, with_key: bool = True) -> None:
    """Delete every entry after ``size`` and rewrite the head to match, as a forger would."""
    sql("DELETE FROM audit_auditentry WHERE seq > %s", [size])
    rehash_everything(with_key=with_key)


# --- the first entry that differs is named correctly -------------------------------------


def test_req28_rehashed_edit_at_entry_10_is_named_as_entry_10_not_1():
    _log(30)
    create_checkpoint()
    sql("UPDATE audit_auditentry SET actor_id = %s WHERE seq = 10", ["fictional-someone-else"])
    rehash_everything(with_key=False)  # a forger with the database but not the signing key
    with pytest.raises(AuditTampered, match="The first entry that differs is 10") as caught:
        verify_log()
    assert caught.value.seq == 10


def test_req28_rehashed_edit_at_entry_10_is_named_by_the_cli(capsys):
    _log(12)
    sql("UPDATE audit_auditentry SET event = 'login' WHERE seq = 10")
    rehash_everything(with_key=False)
    with pytest.raises(SystemExit) as exited:
        run(["vigil", "audit", "verify"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "Audit entry 10 was replaced" in err
    assert "Traceback" not in err


def test_req28_rehash_by_a_key_holder_is_bounded_by_the_nearest_consistent_checkpoint():
    _log(9)
    create_checkpoint()  # at 9: entry 10 does not exist yet
    _log(11)
    create_checkpoint()  # at 20
    sql("UPDATE audit_auditentry SET actor_id = %s WHERE seq = 10", ["fictional-someone-else"])
    rehash_everything(with_key=True)  # re-sealed: only the signed checkpoints can tell
    with pytest.raises(AuditTampered, match="first entry that may be wrong is 10") as caught:
        verify_log()
    assert caught.value.seq == 10


def test_req28_an_entry_whose_seal_was_removed_is_named():
    _log(5)
    sql("UPDATE audit_auditentry SET seal = '' WHERE seq = 4")
    with pytest.raises(AuditTampered, match="entry 4 has no seal") as caught:
        verify_log()
    assert caught.value.seq == 4


def test_req28_sealed_log_without_its_signing_key_is_refused_with_a_clear_message(
    audit_key_file,
):
    _log(3)
    audit_key_file.unlink()
    with pytest.raises(AuditError, match="signing key .* is missing: restore it"):
        verify_log()


# --- deleting any suffix is detected once something anchored a longer head ---------------


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(total=st.integers(min_value=2, max_value=14), data=st.data())
def test_req28_deleting_any_suffix_after_a_checkpoint_is_detected(total, data):
    for table in ("audit_auditcheckpoint", "audit_auditentry", "audit_audithead"):
        sql(f"DELETE FROM {table}")  # each example starts from an empty log
    _log(total)
    create_checkpoint()
    kept = data.draw(st.integers(min_value=0, max_value=total - 1), label="kept")
    _cut_after(kept, with_key=data.draw(st.booleans(), label="forger holds the key"))
    with pytest.raises(AuditTampered, match="truncated") as caught:
        verify_log()
    assert caught.value.seq == kept + 1


def test_req28_deleting_any_suffix_is_detected_by_an_exported_checkpoint_file(tmp_path):
    _log(8)
    create_checkpoint()
    exported = tmp_path / "off-host.jsonl"
    export_checkpoints(exported)
    for kept in range(7, 0, -1):  # each suffix length in turn, one deletion at a time
        _cut_after(kept)
        sql("DELETE FROM audit_auditcheckpoint")  # the forger removes the stored ones too
        assert verify_log().size == kept  # nothing in the database can tell any more ...
        with pytest.raises(AuditTampered, match="off-host.jsonl line 1") as caught:
            verify_log(exported)  # ... the off-host copy can
        assert caught.value.seq == kept + 1


def test_req28_deleting_any_suffix_is_detected_by_an_anchor_file(tmp_path, capsys):
    _log(6)
    anchor_file = tmp_path / "anchor.json"
    write_anchor(anchor_file)
    for kept in range(5, -1, -1):
        _cut_after(kept)
        with pytest.raises(AuditTampered, match="truncated: the anchor of 6 entries") as caught:
            verify_log(anchor_files=[anchor_file])
        assert caught.value.seq == kept + 1
    with pytest.raises(SystemExit) as exited:  # the CLI closes the connection: run it last
        run(["vigil", "audit", "verify", "--anchor", str(anchor_file)])
    assert exited.value.code == 2
    assert "entries 1 to 6 are gone" in capsys.readouterr().err


def test_req28_deleting_the_tail_up_to_a_backup_manifest_anchor_is_detected(tmp_path):
    _log(5)
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"format": "vigil-backup/1", "audit_anchor": current_anchor()}))
    _log(2)
    assert verify_log(anchor_files=[manifest]).largest_anchor == 5
    _cut_after(4)
    with pytest.raises(AuditTampered, match=r"manifest.json \(audit_anchor\)") as caught:
        verify_log(anchor_files=[manifest])
    assert caught.value.seq == 5


def test_req28_a_rewritten_log_of_the_same_size_differs_from_the_anchor_hash(tmp_path):
    _log(6)
    anchor_file = tmp_path / "anchor.json"
    write_anchor(anchor_file)
    _log(1)
    sql("UPDATE audit_auditentry SET actor_id = %s WHERE seq = 6", ["fictional-someone-else"])
    rehash_everything(with_key=True)
    with pytest.raises(AuditTampered, match="not consistent with the anchor of 6") as caught:
        verify_log(anchor_files=[anchor_file])
    assert caught.value.seq == 1


# --- anchors in export and backup entries -------------------------------------------------


def test_req28_export_entries_carry_the_signed_anchor_of_the_head_before_them():
    _log(4)
    head_before = AuditEntry.objects.get(seq=4).entry_hash
    entry = audit("export", count=3, format="csv")
    anchor = entry.meta["anchor"]
    assert (anchor["size"], anchor["head"]) == (4, head_before)
    [found] = logged_anchors()
    assert found.signature_ok()
    assert verify_log().anchors == 1


def test_req28_anchor_in_a_log_entry_with_a_forged_head_is_refused():
    _log(2)
    audit("export", count=1, format="csv")
    sql("UPDATE audit_auditentry SET meta = %s WHERE seq = 3", [json.dumps({"anchor": {
        **AuditEntry.objects.get(seq=3).meta["anchor"], "size": 1}})])
    rehash_everything(with_key=True)
    with pytest.raises(AuditTampered, match="anchor at size 1 .*invalid signature"):
        verify_log()


def test_req28_audit_refuses_an_anchor_passed_by_a_caller():
    with pytest.raises(AuditError, match="not allowed"):
        audit("identity_read", anchor="forged")


def test_req28_anchor_command_prints_and_writes_a_signed_anchor(tmp_path, capsys):
    _log(3)
    call_command("audit", "anchor")
    printed = json.loads(capsys.readouterr().out)
    assert (printed["size"], printed["type"]) == (3, "vigil-audit-anchor")
    path = tmp_path / "a.json"
    call_command("audit", "anchor", "-o", str(path))
    assert "Anchor of 3 entries" in capsys.readouterr().out
    [anchor] = read_anchors(path)
    assert anchor.signature_ok() and anchor.size == 3
    call_command("audit", "verify", "--anchor", str(path))
    assert "and with 1 anchor(s), the largest at 3" in capsys.readouterr().out


def test_req28_a_malformed_anchor_file_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "anchors.jsonl"
    anchor = json.dumps(current_anchor())
    path.write_text(anchor + "\n" + json.dumps({"type": "vigil-audit-anchor", "size": "x"}) + "\n")
    with pytest.raises(AuditError, match="anchors.jsonl line 2: field 'size'"):
        verify_log(anchor_files=[path])
    path.write_text("not json at all\n")
    with pytest.raises(AuditError, match="anchors.jsonl line 1 is not JSON"):
        verify_log(anchor_files=[path])
    with pytest.raises(AuditError, match="Cannot read the anchor file"):
        verify_log(anchor_files=[tmp_path / "absent.json"])


# --- checkpoints by time ------------------------------------------------------------------


def test_req28_a_checkpoint_is_signed_once_n_minutes_of_activity_have_passed(
    settings, monkeypatch
):
    settings.AUDIT_CHECKPOINT_MINUTES = 10
    settings.AUDIT_CHECKPOINT_EVERY = 1000
    start = timezone.now()
    clock = {"now": start}
    monkeypatch.setattr(log, "now", lambda: clock["now"])
    _log(3)
    clock["now"] = start + dt.timedelta(minutes=9, seconds=59)
    _log(1)
    assert AuditCheckpoint.objects.count() == 0
    clock["now"] = start + dt.timedelta(minutes=10)
    _log(1)  # entry 5: ten minutes after the first entry, with no checkpoint yet
    [first] = AuditCheckpoint.objects.all()
    assert (first.size, first.at) == (5, clock["now"])
    clock["now"] = start + dt.timedelta(minutes=15)
    _log(2)
    assert AuditCheckpoint.objects.count() == 1  # five minutes after the last one
    clock["now"] = start + dt.timedelta(minutes=20)
    _log(1)
    assert list(AuditCheckpoint.objects.values_list("size", flat=True)) == [5, 8]
    report = verify_log()
    assert (report.checkpoints, report.largest_checkpoint) == (2, 8)


def test_req28_time_based_checkpoints_can_be_turned_off(settings, monkeypatch):
    settings.AUDIT_CHECKPOINT_MINUTES = 0
    start = timezone.now()
    monkeypatch.setattr(log, "now", lambda: start + dt.timedelta(hours=AuditEntry.objects.count()))
    _log(4)
    assert AuditCheckpoint.objects.count() == 0


def test_req28_export_checkpoints_signs_the_head_first_so_the_copy_covers_every_entry(tmp_path):
    _log(3)
    create_checkpoint()
    _log(2)  # not yet in any checkpoint
    path = tmp_path / "off-host.jsonl"
    call_command("audit", "export-checkpoints", str(path))
    assert [c.size for c in read_checkpoints(path)] == [3, 5]
    _cut_after(4)
    sql("DELETE FROM audit_auditcheckpoint")
    with pytest.raises(AuditTampered, match="truncated: the checkpoint of 5 entries"):
        verify_log(path)


def test_req28_a_manual_checkpoint_restarts_the_clock_of_time_based_ones(settings, monkeypatch):
    settings.AUDIT_CHECKPOINT_MINUTES = 10
    start = timezone.now()
    clock = {"now": start}
    monkeypatch.setattr(log, "now", lambda: clock["now"])
    monkeypatch.setattr("vigil.audit.checkpoints.timezone.now", lambda: clock["now"])
    _log(2)
    clock["now"] = start + dt.timedelta(minutes=8)
    create_checkpoint()
    clock["now"] = start + dt.timedelta(minutes=12)
    _log(1)  # twelve minutes after the first entry, four after the checkpoint
    assert list(AuditCheckpoint.objects.values_list("size", flat=True)) == [2]
    clock["now"] = start + dt.timedelta(minutes=18)
    _log(1)
    assert list(AuditCheckpoint.objects.values_list("size", flat=True)) == [2, 4]
