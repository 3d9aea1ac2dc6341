"""The Merkle tree against RFC 6962's recursive definitions and published test vectors."""

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from vigil.audit.merkle import (
    EMPTY_ROOT,
    MerkleTree,
    frontier_append,
    frontier_root,
    leaf_hash,
    verify_consistency,
    verify_inclusion,
)

# The eight leaves of the Certificate Transparency reference test vectors.
CT_LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    bytes(range(0x50, 0x58)),
    bytes(range(0x60, 0x70)),
]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


# --- the RFC 6962 definitions, written as literally as possible ------------------------------
def _h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def naive_mth(d: list[bytes]) -> bytes:
    if not d:
        return _h(b"")
    if len(d) == 1:
        return _h(b"\x00" + d[0])
    k = _k(len(d))
    return _h(b"\x01" + naive_mth(d[:k]) + naive_mth(d[k:]))


def naive_path(m: int, d: list[bytes]) -> list[bytes]:
    if len(d) == 1:
        return []
    k = _k(len(d))
    if m < k:
        return naive_path(m, d[:k]) + [naive_mth(d[k:])]
    return naive_path(m - k, d[k:]) + [naive_mth(d[:k])]


def naive_subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    if m == len(d):
        return [] if b else [naive_mth(d)]
    k = _k(len(d))
    if m <= k:
        return naive_subproof(m, d[:k], b) + [naive_mth(d[k:])]
    return naive_subproof(m - k, d[k:], False) + [naive_mth(d[:k])]


leaves_st = st.lists(st.binary(max_size=8), min_size=1, max_size=24)


def test_root_matches_certificate_transparency_test_vectors():
    tree = MerkleTree(CT_LEAVES)
    assert [tree.root(n).hex() for n in range(1, 9)] == CT_ROOTS


def test_empty_tree_root_is_sha256_of_nothing():
    assert MerkleTree().root() == EMPTY_ROOT == hashlib.sha256(b"").digest()


def test_leaf_and_node_hashes_are_domain_separated():
    assert leaf_hash(b"ab") == _h(b"\x00ab")
    assert MerkleTree([b"a", b"b"]).root() == _h(b"\x01" + _h(b"\x00a") + _h(b"\x00b"))


@given(leaves_st)
def test_root_equals_naive_definition_at_every_size(leaves):
    tree = MerkleTree(leaves)
    for n in range(len(leaves) + 1):
        assert tree.root(n) == naive_mth(leaves[:n])


@given(leaves_st, st.data())
def test_inclusion_proof_equals_naive_path_and_verifies(leaves, data):
    tree = MerkleTree(leaves)
    n = data.draw(st.integers(1, len(leaves)))
    m = data.draw(st.integers(0, n - 1))
    proof = tree.inclusion_proof(m, n)
    assert proof == naive_path(m, leaves[:n])
    assert verify_inclusion(m, n, leaf_hash(leaves[m]), proof, tree.root(n))


@given(leaves_st, st.data())
def test_inclusion_proof_fails_for_another_leaf_index_or_altered_step(leaves, data):
    tree = MerkleTree(leaves)
    n = len(leaves)
    m = data.draw(st.integers(0, n - 1))
    proof = tree.inclusion_proof(m, n)
    root = tree.root()
    assert not verify_inclusion(m, n, leaf_hash(leaves[m] + b"x"), proof, root)
    assert not verify_inclusion(n, n, leaf_hash(leaves[m]), proof, root)
    if proof:
        i = data.draw(st.integers(0, len(proof) - 1))
        altered = list(proof)
        altered[i] = bytes([altered[i][0] ^ 1]) + altered[i][1:]
        assert not verify_inclusion(m, n, leaf_hash(leaves[m]), altered, root)


@given(leaves_st, st.data())
def test_consistency_proof_equals_naive_subproof_and_verifies(leaves, data):
    tree = MerkleTree(leaves)
    n = data.draw(st.integers(1, len(leaves)))
    m = data.draw(st.integers(1, n))
    proof = tree.consistency_proof(m, n)
    assert proof == naive_subproof(m, leaves[:n], True)
    assert verify_consistency(m, n, tree.root(m), tree.root(n), proof)


@given(leaves_st, st.data())
def test_consistency_fails_when_an_old_leaf_was_changed(leaves, data):
    n = len(leaves)
    m = data.draw(st.integers(1, n))
    i = data.draw(st.integers(0, m - 1))
    old = MerkleTree(leaves)
    rewritten = list(leaves)
    rewritten[i] = leaves[i] + b"edited"
    new = MerkleTree(rewritten)
    proof = new.consistency_proof(m, n)
    assert not verify_consistency(m, n, old.root(m), new.root(n), proof)


@given(leaves_st, st.data())
def test_consistency_fails_for_an_altered_proof_step(leaves, data):
    tree = MerkleTree(leaves)
    n = len(leaves)
    m = data.draw(st.integers(1, n - 1)) if n > 1 else 1
    proof = tree.consistency_proof(m, n)
    if not proof:
        return
    i = data.draw(st.integers(0, len(proof) - 1))
    altered = list(proof)
    altered[i] = bytes([altered[i][0] ^ 1]) + altered[i][1:]
    assert not verify_consistency(m, n, tree.root(m), tree.root(n), altered)


def test_consistency_between_equal_sizes_needs_an_empty_proof_and_equal_roots():
    tree = MerkleTree(CT_LEAVES)
    assert verify_consistency(5, 5, tree.root(5), tree.root(5), [])
    assert not verify_consistency(5, 5, tree.root(5), tree.root(6), [])
    assert not verify_consistency(6, 5, tree.root(6), tree.root(5), [])


@given(leaves_st)
def test_frontier_root_equals_tree_root_after_every_append(leaves):
    tree = MerkleTree(leaves)
    frontier: list[bytes] = []
    for size, data in enumerate(leaves):
        frontier = frontier_append(frontier, size, leaf_hash(data))
        assert frontier_root(frontier) == tree.root(size + 1)
        assert len(frontier) == bin(size + 1).count("1")
