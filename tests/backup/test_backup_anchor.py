"""A backup's manifest carries the signed anchor of the audit head: a log cut later is caught."""

import io
import tarfile

import pyrage
import pytest
from pyrage import x25519

from tests.audit.tamper import rehash_everything, sql
from vigil.audit import audit
from vigil.audit.anchors import read_anchors
from vigil.audit.errors import AuditTampered
from vigil.audit.verify import verify_log
from vigil.backup.archive import create_backup, verify_backup

pytestmark = pytest.mark.django_db(transaction=True)


def test_req28_backup_manifest_anchors_the_audit_head_and_a_later_cut_is_detected(tmp_path):
    for i in range(5):
        audit("identity_read", field="last_name", count=i)
    identity = x25519.Identity.generate()
    (tmp_path / "keyholder.identity").write_text(f"{identity}\n")
    result = create_backup(tmp_path / "vigil.backup.age", [str(identity.to_public())])
    assert result.manifest.audit_anchor["size"] == 5
    verify_backup(result.path, [tmp_path / "keyholder.identity"])  # the backup still proves itself
    tar = tarfile.open(fileobj=io.BytesIO(pyrage.decrypt(result.path.read_bytes(), [identity])))
    manifest = tmp_path / "manifest.json"
    manifest.write_bytes(tar.extractfile("manifest.json").read())
    [anchor] = read_anchors(manifest)
    assert anchor.size == 5 and anchor.signature_ok()
    audit("identity_read", field="first_name")
    assert verify_log(anchor_files=[manifest]).largest_anchor == 5
    sql("DELETE FROM audit_auditentry WHERE seq > 3")  # the newest entries, head rewritten
    rehash_everything()
    assert verify_log().size == 3  # nothing in the database alone shows the cut ...
    with pytest.raises(AuditTampered, match="truncated: the anchor of 5 entries") as caught:
        verify_log(anchor_files=[manifest])  # ... the backup kept elsewhere does
    assert caught.value.seq == 4
