"""Verification: recompute the chain, the seals and the tree, and check them against every
signed checkpoint and anchor in sight (the database, the log's export and backup entries,
exported checkpoint files and anchor files kept off-host)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from vigil.audit.anchors import Anchor, logged_anchors, read_anchors
from vigil.audit.chain import GENESIS, entry_leaf
from vigil.audit.checkpoints import SignedCheckpoint, read_checkpoints, stored_checkpoints
from vigil.audit.errors import AuditError, AuditTampered
from vigil.audit.merkle import MerkleTree, frontier_root, verify_consistency
from vigil.audit.models import AuditEntry, AuditHead
from vigil.audit.signing import key_path, local_signing_key, public_key_hex, seal_key, seal_with


@dataclass(frozen=True)
class VerifyReport:
    """What an intact log looks like: its size, root and the checkpoints it matched."""

    size: int
    root: str
    checkpoints: int
    largest_checkpoint: int | None
    anchors: int = 0
    largest_anchor: int | None = None

    def summary(self) -> str:
        """One line for the operator."""
        anchored = (
            f"consistent with {self.checkpoints} signed checkpoint(s), the largest at "
            f"{self.largest_checkpoint}"
            if self.checkpoints
            else "no signed checkpoint to compare with (run `vigil audit checkpoint`)"
        )
        if self.anchors:
            anchored += f"; and with {self.anchors} anchor(s), the largest at {self.largest_anchor}"
        return f"Audit log intact: {self.size} entries, root {self.root}, {anchored}."


def _seal_key_or_none() -> bytes | None:
    key = local_signing_key()
    return None if key is None else seal_key(key)


def verify_chain(seal_key_bytes: bytes | None = None) -> MerkleTree:
    """Recompute every entry hash, link and seal; return the Merkle tree of the entries.

    A seal is an HMAC of the entry hash under the signing key: a forger with the database but
    not the key who edits entry N and re-hashes the chain after it leaves every stored hash
    consistent, but entry N's seal no longer matches, and N is the entry named.
    """
    if seal_key_bytes is None:
        seal_key_bytes = _seal_key_or_none()
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
        _check_seal(entry, seal_key_bytes)
        hashes.append(entry_leaf(entry.entry_hash))
        prev = entry.entry_hash
        expected += 1
    tree = MerkleTree.from_leaf_hashes(hashes)
    _verify_head(tree, prev)
    return tree


def _check_seal(entry: AuditEntry, key: bytes | None) -> None:
    if not entry.seal:
        raise AuditTampered(
            f"Audit entry {entry.seq} has no seal: it was written or rewritten outside Vigil.",
            seq=entry.seq,
        )
    if key is None:
        raise AuditError(
            f"The audit entries are sealed with the signing key {key_path()}, which is missing: "
            "restore it from a backup; without it the seals and checkpoints cannot be checked."
        )
    if seal_with(key, entry.entry_hash) != entry.seal:
        raise AuditTampered(
            f"Audit entry {entry.seq} was replaced: its hash was recomputed without the "
            "signing key (its seal does not match), or this is not the key that sealed it. "
            f"The first entry that differs is {entry.seq}.",
            seq=entry.seq,
        )


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


def _check_signatures(witnesses: Sequence[SignedCheckpoint | Anchor], trusted: set[str]) -> None:
    for cp in witnesses:
        kind = "checkpoint" if isinstance(cp, SignedCheckpoint) else "anchor"
        if not cp.signature_ok():
            raise AuditTampered(
                f"The {kind} at size {cp.size} ({cp.source}) has an invalid signature."
            )
        if cp.public_key not in trusted:
            raise AuditTampered(
                f"The {kind} at size {cp.size} ({cp.source}) is signed by an unknown key "
                f"{cp.public_key[:16]}…, not this installation's nor the exported file's."
            )


def _root_bytes(cp: SignedCheckpoint) -> bytes:
    try:
        return bytes.fromhex(cp.root)
    except ValueError:
        raise AuditTampered(
            f"The checkpoint at size {cp.size} ({cp.source}) has no root."
        ) from None


def _matches(tree: MerkleTree, witness: SignedCheckpoint | Anchor) -> bool:
    if isinstance(witness, SignedCheckpoint):
        proof = tree.consistency_proof(witness.size, tree.size)
        return verify_consistency(
            witness.size, tree.size, _root_bytes(witness), tree.root(), proof
        )
    if witness.size == 0:
        return witness.head == GENESIS
    try:
        return tree.leaf_hash_at(witness.size - 1) == entry_leaf(witness.head)
    except ValueError:
        return False


def _describe(witness: SignedCheckpoint | Anchor) -> str:
    kind = "checkpoint" if isinstance(witness, SignedCheckpoint) else "anchor"
    return f"the {kind} of {witness.size} entries signed at {witness.at} ({witness.source})"


def verify_against(
    tree: MerkleTree, checkpoints: Sequence[SignedCheckpoint | Anchor]
) -> int | None:
    """Check that the log extends every checkpoint and anchor; return the largest size.

    A checkpoint is checked by a consistency proof from its root, an anchor by the hash of
    the entry at its size. A witness longer than the log proves a cut tail.
    """
    size = tree.size
    good = 0
    for cp in sorted(checkpoints, key=lambda c: c.size):
        if cp.size > size:
            raise AuditTampered(
                f"The audit log was truncated: {_describe(cp)} is longer than the log's {size} "
                f"entries (entries {size + 1} to {cp.size} are gone).",
                seq=size + 1,
            )
        if not _matches(tree, cp):
            raise AuditTampered(
                f"The audit log is not consistent with {_describe(cp)}: an entry from "
                f"{good + 1} to {cp.size} was changed and the chain re-hashed and re-sealed "
                f"(with the signing key). The first entry that may be wrong is {good + 1}.",
                seq=good + 1,
            )
        good = max(good, cp.size)
    return max((c.size for c in checkpoints), default=None)


def verify_log(
    checkpoints_file: Path | None = None, anchor_files: Sequence[Path] = ()
) -> VerifyReport:
    """Verify the chain, seals, head, and every checkpoint and anchor in sight; raise on harm.

    Checked: the checkpoints in the database, the anchors in export and backup entries, and
    those in ``checkpoints_file`` (`vigil audit export-checkpoints`) and ``anchor_files``
    (anchor files or backup manifests) kept off-host, whose signing keys are trusted too.
    """
    key = local_signing_key()
    trusted = {public_key_hex(key)} if key is not None else set()
    checkpoints = stored_checkpoints()
    if checkpoints_file is not None:
        exported = read_checkpoints(checkpoints_file)
        trusted |= {c.public_key for c in exported}
        checkpoints += exported
    anchors = logged_anchors()
    for path in anchor_files:
        given = read_anchors(path)
        trusted |= {a.public_key for a in given}
        anchors += given
    # Signatures first: a replaced key is named as such, not as a broken seal at entry 1.
    _check_signatures([*checkpoints, *anchors], trusted)
    tree = verify_chain(None if key is None else seal_key(key))
    verify_against(tree, [*checkpoints, *anchors])
    return VerifyReport(
        size=tree.size,
        root=tree.root().hex(),
        checkpoints=len(checkpoints),
        largest_checkpoint=max((c.size for c in checkpoints), default=None),
        anchors=len(anchors),
        largest_anchor=max((a.size for a in anchors), default=None),
    )
