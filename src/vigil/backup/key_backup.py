"""Backing up the master key: age-encrypted to key holders, or split k-of-n, and recovering it."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from vigil.crypto import keyholders
from vigil.crypto.errors import KeyBackupError
from vigil.crypto.keysource import parse_hex_key
from vigil.crypto.shares import combine_shares, split_key

KEY_FILE = "master-key.age"


def _write_new(path: Path, data: bytes) -> Path:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyBackupError(f"{path} exists; refusing to overwrite it.") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return path


def backup_master_key(
    key: bytes,
    out: Path,
    recipients: Sequence[str] = (),
    shares: tuple[int, int] | None = None,
) -> list[Path]:
    """Write the key backup files into ``out``; returns them.

    Without shares: one file any recipient can decrypt. With k-of-n shares and n recipients:
    share i encrypted to recipient i. With shares and no recipients: plain mnemonic files,
    to be handed to key holders and deleted.
    """
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    parsed = keyholders.parse_recipients(recipients) if recipients else []
    if shares is None:
        if not parsed:
            raise KeyBackupError("Give age recipients (--recipient), shares (--shares), or both.")
        plain = f"# Vigil master key (hex)\n{key.hex()}\n".encode()
        return [_write_new(out / KEY_FILE, keyholders.encrypt(plain, parsed))]
    k, n = shares
    if parsed and len(parsed) != n:
        raise KeyBackupError(
            f"{n} shares need {n} recipients, one per key holder (got {len(parsed)})."
        )
    written: list[Path] = []
    for i, mnemonic in enumerate(split_key(key, k, n), start=1):
        text = f"# Vigil master key share {i} of {n}; any {k} recover the key\n{mnemonic}\n"
        if parsed:
            data = keyholders.encrypt(text.encode(), [parsed[i - 1]])
            written.append(_write_new(out / f"share-{i}-of-{n}.age", data))
        else:
            written.append(_write_new(out / f"share-{i}-of-{n}.txt", text.encode()))
    return written


def recover_master_key(files: Sequence[Path], identity_files: Sequence[Path] = ()) -> bytes:
    """The master key from a key backup file, or from enough share files (.age or text)."""
    identities = keyholders.read_identities(identity_files) if identity_files else []
    lines: list[str] = []
    for path in files:
        data = Path(path).read_bytes()
        if data.startswith(b"age-encryption.org/"):
            if not identities:
                raise KeyBackupError(f"{path} is age-encrypted: give an identity (--identity).")
            data = keyholders.decrypt(data, identities, str(path))
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise KeyBackupError(f"{path} is neither a key backup nor a key share.") from None
        lines += [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    if len(lines) == 1 and len(lines[0]) == 64 and " " not in lines[0]:
        return parse_hex_key(lines[0], "The key backup")
    return combine_shares(lines)
