"""Verification: recompute the chain and the tree, and check them against signed checkpoints."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vigil.audit.chain import GENESIS, entry_leaf
from vigil.audit.checkpoints import SignedCheckpoint, read_checkpoints, stored_checkpoints
from vigil.audit.errors import AuditTampered
from vigil.audit.merkle import MerkleTree, frontier_root, verify_consistency
from vigil.audit.models import AuditEntry, AuditHead
from vigil.audit.signing import local_public_key


@dataclass(frozen=True)
class VerifyReport:
    """What an intact log looks like: its size, root and the checkpoints it matched."""

    size: int
    root: str
    checkpoints: int
    largest_checkpoint: int | None

    def summary(self) -> str:
        """One line for the operator."""
        anchored = (
            f"consistent with {self.checkpoints} signed checkpoint(s), the largest at "
            f"{self.largest_checkpoint}"
            if self.checkpoints
            else "no signed checkpoint to compare with (run `vigil audit checkpoint`)"
        )
        return f"Audit log intact: {self.size} entries, root {self.root}, {anchored}."


def verify_chain() -> MerkleTree:
    """Recompute every entry hash and link; return the Merkle tree of the entries."""
    hashes: list[bytes] = []
    expected, prev = 1, GENESIS
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected:
            raise AuditTampered(
                f"Audit entry {expected} is missing: the log jumps from entry {expected - 1} "
                f"to entry {entry.seq} (entries were deleted).",
                seq=expected,
            )
        if entry.computed_hash() != entry.entry_hash:
            raise AuditTampered(
                f"Audit entry {entry.seq} was edited: its content no longer matches its hash.",
                seq=entry.seq,
            )
        if entry.prev_hash != prev:
            bad = max(entry.seq - 1, 1)
            raise AuditTampered(
                f"The audit chain breaks before entry {entry.seq}: entry {bad} was replaced "
                f"or removed (entry {entry.seq} no longer links to it).",
                seq=bad,
            )
        hashes.append(entry_leaf(entry.entry_hash))
        prev = entry.entry_hash
        expected += 1
    tree = MerkleTree.from_leaf_hashes(hashes)
    _verify_head(tree, prev)
    return tree


def _verify_head(tree: MerkleTree, last_hash: str) -> None:
    head = AuditHead.objects.filter(pk=1).first()
    size = tree.size
    head_size = head.size if head else 0
    if head_size > size:
        raise AuditTampered(
            f"The audit log was truncated: it ends at entry {size} but its head records "
            f"{head_size} entries (entries {size + 1} to {head_size} are gone).",
            seq=size + 1,
        )
    if head_size < size:
        raise AuditTampered(
            f"Audit entry {head_size + 1} was added outside Vigil: the head records only "
            f"{head_size} entries but the log holds {size}.",
            seq=head_size + 1,
        )
    if head is not None and head.head_hash != last_hash:
        raise AuditTampered(
            f"The audit head does not match entry {size}: the log was rewritten.", seq=size
        )
    if head is not None and frontier_root([bytes.fromhex(h) for h in head.frontier]) != (
        tree.root()
    ):
        raise AuditTampered("The audit head's Merkle frontier does not match the entries.")


def _check_signatures(checkpoints: list[SignedCheckpoint], trusted: set[str]) -> None:
    for cp in checkpoints:
        if not cp.signature_ok():
            raise AuditTampered(
                f"The checkpoint at size {cp.size} ({cp.source}) has an invalid signature."
            )
        if cp.public_key not in trusted:
            raise AuditTampered(
                f"The checkpoint at size {cp.size} ({cp.source}) is signed by an unknown key "
                f"{cp.public_key[:16]}…, not this installation's nor the exported file's."
            )


def _root_bytes(cp: SignedCheckpoint) -> bytes:
    try:
        return bytes.fromhex(cp.root)
    except ValueError:
        raise AuditTampered(
            f"The checkpoint at size {cp.size} ({cp.source}) has no root."
        ) from None


def verify_against(tree: MerkleTree, checkpoints: list[SignedCheckpoint]) -> int | None:
    """Check that the log extends every checkpoint (consistency proofs); return the largest."""
    size, root = tree.size, tree.root()
    good = 0
    for cp in sorted(checkpoints, key=lambda c: c.size):
        if cp.size > size:
            raise AuditTampered(
                f"The audit log was truncated: the checkpoint of {cp.size} entries signed at "
                f"{cp.at} ({cp.source}) is longer than the log's {size} entries (entries "
                f"{size + 1} to {cp.size} are gone).",
                seq=size + 1,
            )
        proof = tree.consistency_proof(cp.size, size)
        if not verify_consistency(cp.size, size, _root_bytes(cp), root, proof):
            raise AuditTampered(
                f"The audit log is not consistent with the checkpoint of {cp.size} entries "
                f"signed at {cp.at} ({cp.source}): an entry from {good + 1} to {cp.size} was "
                f"changed and the chain re-hashed. The first entry that may be wrong is "
                f"{good + 1}.",
                seq=good + 1,
            )
        good = max(good, cp.size)
    return max((c.size for c in checkpoints), default=None)


def verify_log(checkpoints_file: Path | None = None) -> VerifyReport:
    """Verify the chain, the head, and every stored (and exported) checkpoint; raise on harm."""
    tree = verify_chain()
    checkpoints = stored_checkpoints()
    trusted = {k for k in [local_public_key()] if k}
    if checkpoints_file is not None:
        exported = read_checkpoints(checkpoints_file)
        trusted |= {c.public_key for c in exported}
        checkpoints += exported
    _check_signatures(checkpoints, trusted)
    largest = verify_against(tree, checkpoints)
    return VerifyReport(
        size=tree.size,
        root=tree.root().hex(),
        checkpoints=len(checkpoints),
        largest_checkpoint=largest,
    )
