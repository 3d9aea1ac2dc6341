"""Changing the master key through its source: a new passphrase (new salt) or a new keyfile."""

from __future__ import annotations

import os
import secrets
from dataclasses import replace
from pathlib import Path

from vigil.backup.rotation import rekey_master
from vigil.crypto import kdf
from vigil.crypto.errors import KeySourceError
from vigil.crypto.keysource import (
    MIN_PASSPHRASE,
    KeySourceConfig,
    Prompt,
    read_passphrase,
    write_key_file,
)


def _pending(path: Path) -> Path:
    pending = path.with_name(path.name + ".new")
    pending.unlink(missing_ok=True)
    return pending


def rekey_from_source(
    config: KeySourceConfig, *, new_passphrase_fd: int | None = None, prompt: Prompt | None = None
) -> None:
    """Make a new master key from the configured source and rekey the database with it."""
    if config.source == "passphrase":
        ask = replace(config, passphrase_fd=new_passphrase_fd)
        passphrase = read_passphrase(ask, confirm=True, prompt=_labelled(prompt))
        if len(passphrase) < MIN_PASSPHRASE:
            raise KeySourceError(f"Choose a passphrase of at least {MIN_PASSPHRASE} characters.")
        header = kdf.new_header()
        key = kdf.derive_key(passphrase.encode("utf-8"), header)
        pending = _pending(config.header_path)
        kdf.write_header(pending, kdf.with_check(header, key))
        rekey_master(key)
        os.replace(pending, config.header_path)
    elif config.source == "keyfile":
        key = secrets.token_bytes(32)
        pending = _pending(config.key_file)
        write_key_file(pending, key)
        rekey_master(key)
        os.replace(pending, config.key_file)
    else:
        raise KeySourceError(
            "With VIGIL_KEY_SOURCE=command the key lives in your secret manager: recover the "
            "database to a keyfile (`vigil keys recover`), store a new key there, and rekey."
        )


def _labelled(prompt: Prompt | None) -> Prompt | None:
    if prompt is None:
        return None
    return lambda text: prompt("New " + text[0].lower() + text[1:])
