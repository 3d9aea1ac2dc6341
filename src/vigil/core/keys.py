"""The database key (a 0600 keyfile until passphrases arrive) and the data directory."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from vigil.core.errors import ConfigurationError


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` readable by its owner only."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def create_key_file(path: Path) -> Path:
    """Write a new random 256-bit key, hex-encoded, readable by the owner only."""
    if path.exists():
        raise ConfigurationError(f"A key already exists at {path}; refusing to overwrite it.")
    ensure_private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_bytes(32).hex() + "\n")
    return path


def create_secret_key(data_dir: Path) -> Path:
    """Store the web secret (session signing) in the data directory, owner-only."""
    path = data_dir / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_urlsafe(50) + "\n")
    return path
