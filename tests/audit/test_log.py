"""Appending to the audit log: chaining, the metadata allow-list, transactions, checkpoints."""

import hashlib
import json

import pytest
from django.db import transaction

from vigil.accounts.models import User
from vigil.audit import audit
from vigil.audit.chain import GENESIS
from vigil.audit.errors import AuditAppendOnly, AuditMetadataRefused
from vigil.audit.merkle import MerkleTree, frontier_root, leaf_hash
from vigil.audit.models import AuditCheckpoint, AuditEntry, AuditHead
from vigil.core.context import change_context

pytestmark = pytest.mark.django_db


def test_req16_audit_chains_each_entry_to_the_previous_hash():
    first = audit("login", method="totp")
    second = audit("logout")
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.entry_hash
    assert AuditHead.objects.get().head_hash == second.entry_hash


def test_entry_hash_is_sha256_over_sorted_compact_utf8_json_with_prev_hash():
    entry = audit("denied", action="view", reason="no_grant")
    payload = {
        "v": 1,
        "seq": entry.seq,
        "at": entry.at.isoformat(timespec="microseconds"),
        "event": "denied",
        "actor": "",
        "object_type": "",
        "object_id": "",
        "context": "",
        "meta": {"action": "view", "reason": "no_grant"},
        "prev": GENESIS,
    }
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert entry.entry_hash == hashlib.sha256(encoded.encode("utf-8")).hexdigest()


@pytest.mark.parametrize(
    "meta",
    [
        {"value": "Fictional Witness Nobody"},
        {"password": "correct horse battery staple"},
        {"totp_code": "123456"},
        {"name": "Fictional Ivanka Tsvirko"},
        {"reason": "bad_password", "secret": "x"},
    ],
)
def test_req16_audit_metadata_refuses_keys_not_on_the_allow_list(meta):
    with pytest.raises(AuditMetadataRefused, match="not allowed"):
        audit("identity_read", **meta)
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize("value", [{"nested": 1}, ["a"], 1.5, "x" * 201, 2**60])
def test_audit_metadata_refuses_structured_long_or_huge_values(value):
    with pytest.raises(AuditMetadataRefused):
        audit("export", format=value)
    assert AuditEntry.objects.count() == 0


def test_audit_refuses_an_unknown_event_type():
    with pytest.raises(AuditMetadataRefused, match="Unknown audit event"):
        audit("looked_around")


def test_req16_audit_identity_read_records_who_and_which_field_never_the_value():
    canary = "CANARY-3f9a1c-fictional-witness"
    viewer = User.objects.create(username="fictional-analyst", first_name=canary)
    witness = User.objects.create(username="fictional-witness", last_name=canary)
    entry = audit("identity_read", actor=viewer, obj=witness, field="last_name")
    stored = AuditEntry.objects.get(seq=entry.seq)
    assert stored.actor_id == str(viewer.pk)
    assert (stored.object_type, stored.object_id) == ("accounts.user", str(witness.pk))
    assert stored.meta == {"field": "last_name"}
    row = json.dumps([getattr(stored, f.attname) for f in AuditEntry._meta.fields], default=str)
    assert canary not in row


def test_audit_takes_the_actor_and_kind_of_the_change_context():
    user = User.objects.create(username="fictional-coordinator")
    with change_context("cli", actor=user):
        entry = audit("backup", sha256="ab" * 32, size=1024)
    assert (entry.actor_id, entry.context) == (str(user.pk), "cli")


def test_audit_entry_cannot_be_edited_or_deleted_through_the_orm():
    entry = audit("login")
    entry.event = "logout"
    with pytest.raises(AuditAppendOnly):
        entry.save()
    with pytest.raises(AuditAppendOnly):
        entry.delete()
    with pytest.raises(AuditAppendOnly):
        AuditEntry.objects.all().delete()
    with pytest.raises(AuditAppendOnly):
        AuditEntry.objects.update(event="logout")
    assert AuditEntry.objects.get().event == "login"


def test_audit_is_written_in_the_callers_transaction_and_rolls_back_with_it():
    audit("login")
    with pytest.raises(RuntimeError), transaction.atomic():
        audit("grant", role="analyst")
        raise RuntimeError("the change being audited failed")
    assert list(AuditEntry.objects.values_list("event", flat=True)) == ["login"]
    after = audit("logout")
    assert after.seq == 2  # the rolled-back entry left no gap in the chain


def test_head_frontier_gives_the_merkle_root_of_all_entries():
    for _ in range(7):
        audit("login")
    hashes = AuditEntry.objects.order_by("seq").values_list("entry_hash", flat=True)
    tree = MerkleTree(bytes.fromhex(h) for h in hashes)
    head = AuditHead.objects.get()
    assert frontier_root([bytes.fromhex(h) for h in head.frontier]) == tree.root()
    assert tree.leaf_hash_at(0) == leaf_hash(bytes.fromhex(hashes[0]))


def test_req16_audit_writes_a_signed_checkpoint_every_n_entries(settings):
    settings.AUDIT_CHECKPOINT_EVERY = 3
    for _ in range(7):
        audit("login")
    assert list(AuditCheckpoint.objects.values_list("size", flat=True)) == [3, 6]


def test_services_module_exposes_the_same_audit_function():
    from vigil.audit import services
    from vigil.audit.log import audit as append

    assert services.audit is append
    assert services.audit("logout_all", sessions=2, tokens=1).meta == {"sessions": 2, "tokens": 1}
