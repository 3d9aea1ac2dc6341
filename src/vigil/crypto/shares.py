"""k-of-n key shares: SLIP-39 Shamir mnemonics over GF(256) (Trezor's ``shamir-mnemonic``)."""

from __future__ import annotations

import re
from collections.abc import Iterable

import shamir_mnemonic
from shamir_mnemonic import MnemonicError

from vigil.crypto.errors import KeyBackupError

MAX_SHARES = 16
_SPEC = re.compile(r"^\s*(\d+)\s*(?:-?of-?|/)\s*(\d+)\s*$", re.IGNORECASE)


def parse_threshold(spec: str) -> tuple[int, int]:
    """Read "3-of-5" (or "3/5") as (3, 5), checking 2 <= k <= n <= 16."""
    match = _SPEC.match(spec)
    if not match:
        raise KeyBackupError(f"Shares are written K-of-N, like 3-of-5 (got {spec!r}).")
    k, n = int(match[1]), int(match[2])
    if not 2 <= k <= n <= MAX_SHARES:
        raise KeyBackupError(
            f"Shares need 2 <= K <= N <= {MAX_SHARES} (got {k}-of-{n}): with K = 1 every "
            "key holder alone holds the key, so encrypt it to several recipients instead."
        )
    return k, n


def split_key(key: bytes, threshold: int, count: int) -> list[str]:
    """Split ``key`` into ``count`` mnemonic shares, any ``threshold`` of which recover it."""
    if not 2 <= threshold <= count <= MAX_SHARES:
        raise KeyBackupError(f"Shares need 2 <= K <= N <= {MAX_SHARES}.")
    groups = shamir_mnemonic.generate_mnemonics(1, [(threshold, count)], key)
    return list(groups[0])


def combine_shares(mnemonics: Iterable[str]) -> bytes:
    """The key from enough shares; KeyBackupError names what is wrong, never a share."""
    shares = [" ".join(m.split()) for m in mnemonics if m.strip()]
    if not shares:
        raise KeyBackupError("No key shares were given.")
    try:
        key: bytes = shamir_mnemonic.combine_mnemonics(shares)
        return key
    except MnemonicError as exc:
        raise KeyBackupError(f"The shares do not recover a key: {exc}") from None
