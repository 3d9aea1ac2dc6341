import itertools
import secrets

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.crypto.errors import KeyBackupError
from vigil.crypto.shares import combine_shares, parse_threshold, split_key


@settings(max_examples=8, deadline=None)
@given(st.integers(2, 5).flatmap(lambda k: st.tuples(st.just(k), st.integers(k, 6))), st.data())
def test_req3_any_k_of_n_shares_recover_the_key_and_k_minus_1_do_not(kn, data):
    k, n = kn
    key = secrets.token_bytes(32)
    shares = split_key(key, k, n)
    assert len(shares) == n
    chosen = data.draw(st.permutations(shares)).copy()
    assert combine_shares(chosen[:k]) == key
    with pytest.raises(KeyBackupError, match="do not recover"):
        combine_shares(chosen[: k - 1])


def test_req3_every_pair_of_a_2_of_3_split_recovers_the_key():
    key = secrets.token_bytes(32)
    shares = split_key(key, 2, 3)
    for pair in itertools.combinations(shares, 2):
        assert combine_shares(pair) == key


def test_a_mistyped_share_word_is_refused():
    shares = split_key(secrets.token_bytes(32), 2, 3)
    words = shares[0].split()
    words[5] = "academic" if words[5] != "academic" else "acid"
    with pytest.raises(KeyBackupError):
        combine_shares([" ".join(words), shares[1]])


@pytest.mark.parametrize(
    "spec,expected", [("3-of-5", (3, 5)), ("2/3", (2, 2 + 1)), ("2 of 2", (2, 2))]
)
def test_parse_threshold_reads_k_of_n(spec, expected):
    assert parse_threshold(spec) == expected


@pytest.mark.parametrize("spec", ["1-of-3", "4-of-3", "3-of-17", "three"])
def test_parse_threshold_refuses_unsafe_or_malformed_splits(spec):
    with pytest.raises(KeyBackupError):
        parse_threshold(spec)
