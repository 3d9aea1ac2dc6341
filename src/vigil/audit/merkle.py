"""Merkle trees after RFC 6962 / RFC 9162: tree heads, inclusion and consistency proofs.

Pure Python (no Django) so it can be tested and reused alone. Leaves are byte strings; the
tree stores their leaf hashes. Sizes and indexes are counts of leaves, 0-based for indexes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """SHA-256(0x00 || data): the hash of one leaf."""
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right): the hash of an interior node."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two smaller than ``n`` (n > 1), where RFC 6962 splits a tree."""
    return 1 << ((n - 1).bit_length() - 1)


class MerkleTree:
    """An append-only Merkle tree whose heads and proofs can be taken at any earlier size."""

    def __init__(self, leaves: Iterable[bytes] = ()) -> None:
        self._hashes: list[bytes] = [leaf_hash(d) for d in leaves]
        # Hashes of complete, aligned subtrees never change once the log has grown past them.
        self._cache: dict[tuple[int, int], bytes] = {}

    @classmethod
    def from_leaf_hashes(cls, hashes: Iterable[bytes]) -> MerkleTree:
        """A tree whose leaf hashes are already computed."""
        tree = cls()
        tree._hashes = list(hashes)
        return tree

    @property
    def size(self) -> int:
        """The number of leaves."""
        return len(self._hashes)

    def append(self, data: bytes) -> int:
        """Add a leaf; return its index."""
        self._hashes.append(leaf_hash(data))
        return len(self._hashes) - 1

    def leaf_hash_at(self, index: int) -> bytes:
        """The leaf hash stored at ``index``."""
        return self._hashes[index]

    def root(self, size: int | None = None) -> bytes:
        """The tree head (MTH) over the first ``size`` leaves (all by default)."""
        n = self._size(size)
        return EMPTY_ROOT if n == 0 else self._subtree(0, n)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """The audit path of leaf ``index`` in the tree of ``size`` leaves (RFC 6962 2.1.1)."""
        n = self._size(size)
        if not 0 <= index < n:
            raise ValueError(f"leaf index {index} is outside a tree of {n} leaves")
        return self._path(index, 0, n)

    def consistency_proof(self, old_size: int, size: int | None = None) -> list[bytes]:
        """The proof that the tree of ``old_size`` leaves is a prefix of ``size`` (2.1.2)."""
        n = self._size(size)
        if not 0 <= old_size <= n:
            raise ValueError(f"old size {old_size} is outside a tree of {n} leaves")
        if old_size == 0:
            return []
        return self._subproof(old_size, 0, n, True)

    def _size(self, size: int | None) -> int:
        n = self.size if size is None else size
        if not 0 <= n <= self.size:
            raise ValueError(f"size {n} is outside a tree of {self.size} leaves")
        return n

    def _subtree(self, lo: int, hi: int) -> bytes:
        n = hi - lo
        if n == 1:
            return self._hashes[lo]
        complete = n & (n - 1) == 0
        if complete and (lo, n) in self._cache:
            return self._cache[(lo, n)]
        k = split_point(n)
        value = node_hash(self._subtree(lo, lo + k), self._subtree(lo + k, hi))
        if complete:
            self._cache[(lo, n)] = value
        return value

    def _path(self, m: int, lo: int, hi: int) -> list[bytes]:
        n = hi - lo
        if n == 1:
            return []
        k = split_point(n)
        if m < k:
            return self._path(m, lo, lo + k) + [self._subtree(lo + k, hi)]
        return self._path(m - k, lo + k, hi) + [self._subtree(lo, lo + k)]

    def _subproof(self, m: int, lo: int, hi: int, complete: bool) -> list[bytes]:
        n = hi - lo
        if m == n:
            return [] if complete else [self._subtree(lo, hi)]
        k = split_point(n)
        if m <= k:
            return self._subproof(m, lo, lo + k, complete) + [self._subtree(lo + k, hi)]
        return self._subproof(m - k, lo + k, hi, False) + [self._subtree(lo, lo + k)]


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> bool:
    """Whether ``proof`` shows leaf hash ``leaf`` at ``index`` in the tree ``root`` (RFC 9162)."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    old_size: int, size: int, old_root: bytes, root: bytes, proof: Sequence[bytes]
) -> bool:
    """Whether ``proof`` shows the tree ``old_root`` is a prefix of the tree ``root`` (RFC 9162)."""
    if not 0 <= old_size <= size:
        return False
    if old_size == size:
        return not proof and old_root == root
    if old_size == 0:
        return not proof and old_root == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == root and sn == 0


def frontier_append(frontier: Sequence[bytes], size: int, leaf: bytes) -> list[bytes]:
    """Add leaf hash ``leaf`` to the frontier of a tree of ``size`` leaves.

    The frontier holds the roots of the complete subtrees that make up the tree, largest
    first (one per set bit of ``size``): enough to compute the head in O(log n).
    """
    result = list(frontier) + [leaf]
    n = size
    while n & 1:
        right = result.pop()
        result.append(node_hash(result.pop(), right))
        n >>= 1
    return result


def frontier_root(frontier: Sequence[bytes]) -> bytes:
    """The tree head of the tree a frontier describes."""
    if not frontier:
        return EMPTY_ROOT
    root = frontier[-1]
    for subtree in reversed(frontier[:-1]):
        root = node_hash(subtree, root)
    return root
