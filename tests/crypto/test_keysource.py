import os
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from vigil.crypto import kdf
from vigil.crypto.errors import KeySourceError
from vigil.crypto.keysource import (
    KeySourceConfig,
    LazyMasterKey,
    database_key,
    lazy_master_key,
    write_key_file,
)

PASSPHRASE = "fictional correct horse battery staple"


@pytest.fixture(autouse=True)
def _cheap_argon2(monkeypatch):
    # Production parameters are checked once below; the other tests need not pay for them.
    monkeypatch.setattr(kdf, "DEFAULT_MEMORY_COST", 1024)
    monkeypatch.setattr(kdf, "DEFAULT_TIME_COST", 1)


def test_req3_new_headers_use_rfc9106_argon2id_parameters(monkeypatch):
    monkeypatch.undo()
    header = kdf.new_header()
    assert (header.time_cost, header.memory_cost, header.parallelism) == (3, 64 * 1024, 4)


def _config(tmp_path: Path, **env: str) -> KeySourceConfig:
    return KeySourceConfig.from_env(
        env,
        data_dir=tmp_path,
        key_file=tmp_path / "vigil.key",
        database_path=tmp_path / "vigil.db",
    )


def _fd_with(text: str) -> int:
    read, write = os.pipe()
    os.write(write, text.encode())
    os.close(write)
    return read


def _answers(*texts: str):
    queue = list(texts)
    return lambda prompt: queue.pop(0)


def test_req3_default_source_outside_demo_is_a_passphrase(tmp_path):
    assert _config(tmp_path).source == "passphrase"


def test_req3_passphrase_from_fd_creates_salt_header_and_gives_the_same_key_again(tmp_path):
    fd = _fd_with(PASSPHRASE + "\n")
    config = _config(tmp_path, VIGIL_PASSPHRASE_FD=str(fd))
    key = database_key(config)
    os.close(fd)
    assert len(key) == 32
    header = kdf.read_header(config.header_path)
    assert header.algorithm == "argon2id" and len(bytes.fromhex(header.salt)) == 16
    assert oct(config.header_path.stat().st_mode & 0o777) == "0o600"
    assert key.hex() not in config.header_path.read_text()
    assert database_key(replace(config, passphrase_fd=None), prompt=_answers(PASSPHRASE)) == key


def test_req3_passphrase_key_is_argon2id_of_passphrase_and_salt(tmp_path):
    config = _config(tmp_path)
    key = database_key(config, prompt=_answers(PASSPHRASE, PASSPHRASE))
    header = kdf.read_header(config.header_path)
    assert key == kdf.derive_key(PASSPHRASE.encode(), header)
    other = tmp_path / "other"
    other.mkdir()
    assert database_key(_config(other), prompt=_answers(PASSPHRASE, PASSPHRASE)) != key


def test_req3_wrong_passphrase_fails_with_a_clear_message(tmp_path):
    config = _config(tmp_path)
    database_key(config, prompt=_answers(PASSPHRASE, PASSPHRASE))
    with pytest.raises(KeySourceError, match="Wrong passphrase"):
        database_key(config, prompt=_answers("fictional wrong passphrase"))


def test_req3_new_passphrase_must_be_confirmed_and_long(tmp_path):
    with pytest.raises(KeySourceError, match="differ"):
        database_key(_config(tmp_path), prompt=_answers(PASSPHRASE, PASSPHRASE + "x"))
    with pytest.raises(KeySourceError, match="at least 12"):
        database_key(_config(tmp_path), prompt=_answers("short", "short"))
    assert not (tmp_path / "vigil.kdf.json").exists()


def test_req3_existing_database_without_its_header_is_refused(tmp_path):
    (tmp_path / "vigil.db").write_bytes(b"\0" * 64)
    with pytest.raises(KeySourceError, match="header"):
        database_key(_config(tmp_path), prompt=_answers(PASSPHRASE, PASSPHRASE))


def test_req3_passphrase_without_terminal_or_fd_says_how_to_give_it(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    with pytest.raises(KeySourceError, match="VIGIL_PASSPHRASE_FD"):
        database_key(_config(tmp_path))


def test_req3_keyfile_is_refused_unless_explicitly_allowed(tmp_path):
    write_key_file(tmp_path / "vigil.key", bytes(range(32)))
    with pytest.raises(KeySourceError, match="protects nothing"):
        database_key(_config(tmp_path, VIGIL_KEY_SOURCE="keyfile"))
    allowed = _config(tmp_path, VIGIL_KEY_SOURCE="keyfile", VIGIL_ALLOW_KEYFILE="1")
    assert database_key(allowed) == bytes(range(32))


def test_req3_demo_and_tests_default_to_an_allowed_keyfile(tmp_path):
    config = KeySourceConfig.from_env(
        {}, data_dir=tmp_path, key_file=tmp_path / "k", database_path=None, keyfile_by_default=True
    )
    assert (config.source, config.allow_keyfile) == ("keyfile", True)


def test_req3_key_command_runs_without_a_shell_and_reads_hex(tmp_path):
    key = bytes(range(32, 64))
    script = tmp_path / "secret manager.py"
    script.write_text(f"print({key.hex()!r})\n")
    command = f"{sys.executable} '{script}'"
    assert (
        database_key(_config(tmp_path, VIGIL_KEY_SOURCE="command", VIGIL_KEY_COMMAND=command))
        == key
    )
    marker = tmp_path / "shell-ran"
    injected = f"{sys.executable} '{script}' ; touch {marker}"
    database_key(_config(tmp_path, VIGIL_KEY_SOURCE="command", VIGIL_KEY_COMMAND=injected))
    assert not marker.exists()


def test_req3_failing_key_command_does_not_echo_its_output(tmp_path):
    secret = "SECRET-" + "ab" * 10
    command = f"{sys.executable} -c \"import sys; print('{secret}'); sys.exit(3)\""
    with pytest.raises(KeySourceError, match="exit status 3") as info:
        database_key(_config(tmp_path, VIGIL_KEY_SOURCE="command", VIGIL_KEY_COMMAND=command))
    assert secret not in str(info.value)


@pytest.mark.parametrize("printed", ["not hex", "abcd"])
def test_req3_key_command_must_print_a_256_bit_hex_key(tmp_path, printed):
    command = f"{sys.executable} -c \"print('{printed}')\""
    with pytest.raises(KeySourceError, match="key command"):
        database_key(_config(tmp_path, VIGIL_KEY_SOURCE="command", VIGIL_KEY_COMMAND=command))


def test_req3_unknown_key_source_is_refused(tmp_path):
    with pytest.raises(KeySourceError, match="must be one of"):
        database_key(_config(tmp_path, VIGIL_KEY_SOURCE="env"))


def test_req3_lazy_master_key_asks_once_and_never_shows_the_key(tmp_path):
    calls = []
    key = bytes(range(32))
    lazy = LazyMasterKey(lambda: calls.append(1) or key, label="test")
    assert bytes(lazy) == key and bytes(lazy) == key
    assert calls == [1]
    assert key.hex() not in repr(lazy) and key.hex() not in str(lazy)
    import copy

    assert copy.deepcopy(lazy) is lazy
    write_key_file(tmp_path / "vigil.key", key)
    config = _config(tmp_path, VIGIL_KEY_SOURCE="keyfile", VIGIL_ALLOW_KEYFILE="1")
    assert bytes(lazy_master_key(config)) == key


def test_req3_passphrase_fd_naming_a_closed_descriptor_is_a_clear_error(tmp_path):
    fd = _fd_with(PASSPHRASE + "\n")
    os.close(fd)
    with pytest.raises(KeySourceError, match=f"VIGIL_PASSPHRASE_FD={fd} names a file descriptor"):
        database_key(_config(tmp_path, VIGIL_PASSPHRASE_FD=str(fd)))
    assert not (tmp_path / "vigil.kdf.json").exists()


def test_req3_passphrase_fd_open_only_for_writing_is_a_clear_error(tmp_path):
    read, write = os.pipe()
    try:
        with pytest.raises(KeySourceError, match="cannot be read"):
            database_key(_config(tmp_path, VIGIL_PASSPHRASE_FD=str(write)))
    finally:
        os.close(read)
        os.close(write)
