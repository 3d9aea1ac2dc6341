import secrets

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.crypto.envelope import (
    PREFIX,
    Place,
    StaticKeyring,
    open_token,
    rewrap,
    seal,
    token_version,
    unwrap_key,
    wrap_key,
)
from vigil.crypto.errors import DecryptionFailed

PLACE = Place("records_witness", "3f1c9a8e-0000-4000-8000-000000000001", "contact")
KEYRING = StaticKeyring({1: bytes(range(32))})


@settings(max_examples=50, deadline=None)
@given(st.text())
def test_req2_sealed_text_round_trips(text):
    assert open_token(seal(text, PLACE, KEYRING), PLACE, KEYRING) == text


def test_req2_token_does_not_contain_the_plaintext():
    canary = f"CANARY-{secrets.token_hex(8)}"
    token = seal(canary, PLACE, KEYRING)
    assert token.startswith(PREFIX)
    assert canary not in token


def test_req2_token_bound_to_another_row_fails_to_decrypt():
    token = seal("Fictional Witness", PLACE, KEYRING)
    other_row = Place(PLACE.table, "3f1c9a8e-0000-4000-8000-000000000002", PLACE.field)
    with pytest.raises(DecryptionFailed, match="copied from another record or field"):
        open_token(token, other_row, KEYRING)


@pytest.mark.parametrize(
    "other",
    [Place("records_person", PLACE.record_id, "contact"), Place(PLACE.table, PLACE.record_id, "x")],
)
def test_req2_token_bound_to_another_table_or_field_fails_to_decrypt(other):
    with pytest.raises(DecryptionFailed):
        open_token(seal("Fictional Witness", PLACE, KEYRING), other, KEYRING)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_req2_any_flipped_byte_fails_to_decrypt(data):
    import base64

    token = seal("Fictional Witness, +000 0000 0000", PLACE, KEYRING)
    raw = bytearray(base64.b64decode(token[len(PREFIX) :]))
    index = data.draw(st.integers(0, len(raw) - 1))
    raw[index] ^= data.draw(st.integers(1, 255))
    with pytest.raises(DecryptionFailed):
        open_token(PREFIX + base64.b64encode(bytes(raw)).decode(), PLACE, KEYRING)


def test_req2_changing_the_key_version_fails_to_decrypt():
    keyring = StaticKeyring({1: bytes(32), 2: bytes(range(32))})
    token = seal("Fictional Witness", PLACE, keyring)
    assert token_version(token) == 2
    moved = rewrap(token, PLACE, keyring, 1, keyring.keys[1])
    import base64

    raw = bytearray(base64.b64decode(moved[len(PREFIX) :]))
    raw[4] = 2  # claim version 2 for a data key wrapped under version 1
    with pytest.raises(DecryptionFailed):
        open_token(PREFIX + base64.b64encode(bytes(raw)).decode(), PLACE, keyring)


def test_req3_rewrap_moves_the_value_to_the_new_key_version_only():
    old = StaticKeyring({1: secrets.token_bytes(32)})
    new_key = secrets.token_bytes(32)
    token = seal("Fictional Witness", PLACE, old)
    moved = rewrap(token, PLACE, old, 2, new_key)
    assert token_version(moved) == 2
    assert open_token(moved, PLACE, StaticKeyring({2: new_key})) == "Fictional Witness"
    with pytest.raises(DecryptionFailed, match="version 2 is not available"):
        open_token(moved, PLACE, old)


def test_unknown_token_format_is_a_clear_error():
    with pytest.raises(DecryptionFailed, match="not an encrypted token"):
        open_token("plain text", PLACE, KEYRING)
    with pytest.raises(DecryptionFailed, match="corrupted"):
        open_token(PREFIX + "***", PLACE, KEYRING)
    with pytest.raises(DecryptionFailed, match="truncated"):
        open_token(PREFIX + "AAAA", PLACE, KEYRING)


def test_org_key_wrapped_under_master_opens_only_with_that_master_and_label():
    master, key = secrets.token_bytes(32), secrets.token_bytes(32)
    wrapped = wrap_key(master, key, "v1")
    assert unwrap_key(master, wrapped, "v1") == key
    with pytest.raises(DecryptionFailed):
        unwrap_key(secrets.token_bytes(32), wrapped, "v1")
    with pytest.raises(DecryptionFailed):
        unwrap_key(master, wrapped, "v2")


def test_place_refuses_separator_in_names():
    with pytest.raises(ValueError):
        Place("a|b", "1", "f").aad()
