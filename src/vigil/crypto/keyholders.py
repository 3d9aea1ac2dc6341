"""age encryption to key holders: recipients (age1...) and identity files (AGE-SECRET-KEY-1...)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pyrage
from pyrage import x25519

from vigil.crypto.errors import KeyBackupError


def parse_recipients(texts: Iterable[str]) -> list[x25519.Recipient]:
    """age X25519 recipients from ``age1...`` strings (commas also separate)."""
    recipients = []
    for text in texts:
        for item in text.split(","):
            item = item.strip()
            if not item:
                continue
            try:
                recipients.append(x25519.Recipient.from_str(item))
            except pyrage.RecipientError:
                raise KeyBackupError(f"{item[:12]}... is not an age recipient (age1...).") from None
    if not recipients:
        raise KeyBackupError("Give at least one age recipient (age1...).")
    return recipients


def read_identities(paths: Iterable[Path]) -> list[x25519.Identity]:
    """age X25519 identities from identity files (comments and blank lines ignored)."""
    identities = []
    for path in paths:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise KeyBackupError(f"Cannot read the identity file {path}: {exc.strerror}.") from exc
        except UnicodeDecodeError:
            raise KeyBackupError(
                f"{path} is not an age identity file (it is not text; an identity file holds "
                "AGE-SECRET-KEY-1... lines)."
            ) from None
        for line in lines:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            try:
                identities.append(x25519.Identity.from_str(line))
            except pyrage.IdentityError:
                raise KeyBackupError(f"{path} holds a line that is not an age identity.") from None
    if not identities:
        raise KeyBackupError("Give at least one age identity file (AGE-SECRET-KEY-1...).")
    return identities


def encrypt(data: bytes, recipients: Sequence[x25519.Recipient]) -> bytes:
    """``data`` encrypted so that any one of ``recipients`` can decrypt it."""
    encrypted: bytes = pyrage.encrypt(data, list(recipients))
    return encrypted


def decrypt(data: bytes, identities: Sequence[x25519.Identity], what: str) -> bytes:
    """Decrypt an age message; KeyBackupError if no identity fits or the bytes were altered."""
    try:
        plain: bytes = pyrage.decrypt(data, list(identities))
        return plain
    except pyrage.DecryptError:
        raise KeyBackupError(
            f"{what} does not decrypt with the identities given (wrong identity, or the file "
            "was altered)."
        ) from None
