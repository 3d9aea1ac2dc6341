import secrets

import pytest
from pyrage import x25519

from vigil.backup.key_backup import backup_master_key, recover_master_key
from vigil.crypto.errors import KeyBackupError
from vigil.crypto.keyholders import read_identities


def _key_holder(tmp_path, name):
    identity = x25519.Identity.generate()
    path = tmp_path / f"{name}.identity"
    path.write_text(f"# fictional key holder {name}\n{identity}\n")
    return str(identity.to_public()), path


def test_req3_key_backup_to_several_key_holders_each_can_recover_alone(tmp_path):
    key = secrets.token_bytes(32)
    key_holders = [_key_holder(tmp_path, n) for n in ("alpha", "beta", "gamma")]
    [written] = backup_master_key(key, tmp_path / "out", [c[0] for c in key_holders])
    assert key.hex().encode() not in written.read_bytes()
    assert oct(written.stat().st_mode & 0o777) == "0o600"
    for _, identity in key_holders:
        assert recover_master_key([written], [identity]) == key
    _, outsider = _key_holder(tmp_path, "outsider")
    with pytest.raises(KeyBackupError, match="does not decrypt"):
        recover_master_key([written], [outsider])


def test_req3_key_shares_encrypted_one_per_key_holder_recover_with_k_of_n(tmp_path):
    key = secrets.token_bytes(32)
    key_holders = [_key_holder(tmp_path, n) for n in ("a", "b", "c")]
    files = backup_master_key(key, tmp_path / "out", [c[0] for c in key_holders], shares=(2, 3))
    assert [f.name for f in files] == ["share-1-of-3.age", "share-2-of-3.age", "share-3-of-3.age"]
    identities = [c[1] for c in key_holders]
    assert recover_master_key([files[0], files[2]], identities) == key
    with pytest.raises(KeyBackupError, match="do not recover"):
        recover_master_key([files[1]], identities)
    # Key holder A's identity does not open key holder B's share.
    with pytest.raises(KeyBackupError, match="does not decrypt"):
        recover_master_key([files[1]], [identities[0]])


def test_req3_plain_key_shares_recover_with_k_of_n(tmp_path):
    key = secrets.token_bytes(32)
    files = backup_master_key(key, tmp_path / "out", shares=(3, 5))
    assert recover_master_key(files[1:4]) == key
    with pytest.raises(KeyBackupError):
        recover_master_key(files[:2])


def test_key_backup_refuses_mismatched_recipients_and_overwrites(tmp_path):
    key = secrets.token_bytes(32)
    recipient, _ = _key_holder(tmp_path, "a")
    with pytest.raises(KeyBackupError, match="3 recipients"):
        backup_master_key(key, tmp_path / "out", [recipient], shares=(2, 3))
    with pytest.raises(KeyBackupError, match="Give age recipients"):
        backup_master_key(key, tmp_path / "out")
    with pytest.raises(KeyBackupError, match="not an age recipient"):
        backup_master_key(key, tmp_path / "out", ["age1notarecipient"])
    backup_master_key(key, tmp_path / "out", [recipient])
    with pytest.raises(KeyBackupError, match="refusing to overwrite"):
        backup_master_key(key, tmp_path / "out", [recipient])


def test_binary_identity_file_is_a_clear_error_not_a_decode_crash(tmp_path):
    identity = tmp_path / "identity.txt"
    identity.write_bytes("AGE-SECRET-KEY-1 ключ".encode("cp1251") + b"\x97\xff")
    with pytest.raises(KeyBackupError, match="identity.txt is not an age identity file"):
        read_identities([identity])
