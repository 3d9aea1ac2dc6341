"""`vigil audit verify` detects edited, deleted, re-hashed and truncated logs."""

import os
import stat

import pytest
from django.core.management import call_command

from vigil.audit import audit
from vigil.audit.checkpoints import create_checkpoint, export_checkpoints, read_checkpoints
from vigil.audit.errors import AuditError, AuditTampered
from vigil.audit.signing import signing_key
from vigil.audit.verify import verify_log
from vigil.cli import run

from .tamper import rehash_everything, sql

pytestmark = pytest.mark.django_db


def _log(n: int) -> None:
    for i in range(n):
        audit("identity_read", field="last_name", count=i)


def test_req16_audit_verify_passes_an_intact_log_and_summarises(capsys):
    _log(5)
    create_checkpoint()
    _log(3)
    report = verify_log()
    assert (report.size, report.checkpoints, report.largest_checkpoint) == (8, 1, 5)
    call_command("audit", "verify")
    assert "Audit log intact: 8 entries" in capsys.readouterr().out


def test_req16_audit_verify_detects_edited_entry():
    _log(6)
    sql("UPDATE audit_auditentry SET actor_id = %s WHERE seq = 4", ["fictional-someone-else"])
    with pytest.raises(AuditTampered, match="entry 4 was edited") as caught:
        verify_log()
    assert caught.value.seq == 4


def test_req16_audit_verify_detects_deleted_entry():
    _log(6)
    sql("DELETE FROM audit_auditentry WHERE seq = 3")
    with pytest.raises(AuditTampered, match="entry 3 is missing") as caught:
        verify_log()
    assert caught.value.seq == 3


def test_req16_audit_verify_detects_replaced_entry_whose_own_hash_was_recomputed():
    _log(6)
    sql("UPDATE audit_auditentry SET actor_id = %s WHERE seq = 2", ["fictional-someone-else"])
    from vigil.audit.models import AuditEntry

    entry = AuditEntry.objects.get(seq=2)
    sql("UPDATE audit_auditentry SET entry_hash = %s WHERE seq = 2", [entry.computed_hash()])
    with pytest.raises(AuditTampered, match="entry 2 was replaced") as caught:
        verify_log()
    assert caught.value.seq == 2


def test_req16_audit_verify_detects_rehashed_chain_by_signed_checkpoints():
    _log(2)
    create_checkpoint()
    _log(6)
    create_checkpoint()
    sql("UPDATE audit_auditentry SET actor_id = %s WHERE seq = 5", ["fictional-someone-else"])
    rehash_everything()
    with pytest.raises(AuditTampered, match="not consistent with the checkpoint of 8") as caught:
        verify_log()
    assert caught.value.seq == 3  # the checkpoint at 2 still matches: the damage is after it


def test_req16_audit_verify_detects_rehashed_chain_with_exported_checkpoints(tmp_path):
    _log(4)
    create_checkpoint()
    exported = tmp_path / "checkpoints.jsonl"
    export_checkpoints(exported)
    sql("UPDATE audit_auditentry SET event = 'login' WHERE seq = 1")
    rehash_everything()
    sql("DELETE FROM audit_auditcheckpoint")
    # Without the off-host copy, a forger who also removed the checkpoints goes unseen ...
    assert verify_log().size == 4
    # ... which is why checkpoints are exported: the copy proves the rewrite.
    with pytest.raises(AuditTampered, match="checkpoints.jsonl line 1") as caught:
        verify_log(exported)
    assert caught.value.seq == 1


def test_req16_audit_verify_detects_truncated_log_by_its_head():
    _log(6)
    sql("DELETE FROM audit_auditentry WHERE seq > 4")
    with pytest.raises(AuditTampered, match="truncated") as caught:
        verify_log()
    assert caught.value.seq == 5


def test_req16_audit_verify_detects_truncated_log_by_checkpoint_after_head_rewritten():
    _log(6)
    create_checkpoint()
    sql("DELETE FROM audit_auditentry WHERE seq > 4")
    rehash_everything()
    with pytest.raises(AuditTampered, match="truncated: the checkpoint of 6 entries") as caught:
        verify_log()
    assert caught.value.seq == 5


def test_req16_audit_verify_rejects_checkpoint_with_forged_root():
    _log(3)
    create_checkpoint()
    sql("UPDATE audit_auditcheckpoint SET root_hash = %s", ["00" * 32])
    with pytest.raises(AuditTampered, match="invalid signature"):
        verify_log()


def test_req16_audit_verify_rejects_checkpoint_signed_by_an_unknown_key(audit_key_file):
    _log(3)
    create_checkpoint()
    audit_key_file.unlink()
    # An attacker's (or a lost and replaced) key, written by hand: Vigil itself refuses to make
    # a new key while signed checkpoints exist (test_audit_checkpoint_refuses_...).
    from vigil.audit.signing import _create

    _create(audit_key_file)
    with pytest.raises(AuditTampered, match="unknown key"):
        verify_log()


def test_audit_checkpoint_refuses_to_make_a_new_key_while_signed_checkpoints_exist(
    audit_key_file,
):
    _log(3)
    create_checkpoint()
    audit_key_file.unlink()
    with pytest.raises(AuditError, match="signing key .* is missing.*1 checkpoint"):
        create_checkpoint()
    assert not audit_key_file.exists()
    with pytest.raises(AuditError, match="is missing"):
        call_command("audit", "checkpoint")
    assert not audit_key_file.exists()


def test_req16_audit_verify_cli_exits_2_naming_the_first_bad_entry(capsys):
    _log(5)
    sql("UPDATE audit_auditentry SET object_id = %s WHERE seq = 3", ["fictional-object"])
    with pytest.raises(SystemExit) as exited:
        run(["vigil", "audit", "verify"])
    assert exited.value.code == 2
    assert "Audit entry 3 was edited" in capsys.readouterr().err


def test_req16_audit_export_checkpoints_writes_json_lines_with_the_public_key(tmp_path, capsys):
    _log(2)
    create_checkpoint()
    _log(1)
    create_checkpoint()
    path = tmp_path / "off-host.jsonl"
    call_command("audit", "export-checkpoints", str(path))
    assert "Wrote 2 checkpoint(s)" in capsys.readouterr().out
    lines = read_checkpoints(path)
    assert [c.size for c in lines] == [2, 3]
    assert all(c.signature_ok() for c in lines)
    call_command("audit", "public-key")
    assert {c.public_key for c in lines} == {capsys.readouterr().out.strip()}
    call_command("audit", "verify", "--checkpoints", str(path))
    assert "consistent with 4 signed checkpoint(s)" in capsys.readouterr().out


def test_req16_audit_verify_refuses_a_malformed_checkpoint_file(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"type": "vigil-audit-checkpoint", "size": "three"}\n')
    with pytest.raises(AuditError, match="bad.jsonl line 1"):
        verify_log(path)


def test_req16_audit_signing_key_is_created_owner_only_and_reused(audit_key_file):
    first = signing_key()
    assert stat.S_IMODE(os.stat(audit_key_file).st_mode) == 0o600
    assert signing_key().public_key().public_bytes_raw() == first.public_key().public_bytes_raw()


def test_audit_signing_key_readable_by_others_is_refused(audit_key_file):
    signing_key()
    os.chmod(audit_key_file, 0o644)
    with pytest.raises(AuditError, match="readable by other users"):
        signing_key()
