"""Single-use recovery codes, stored as SHA-256 digests.

Each code carries 80 random bits, so a fast hash suffices: guessing one offline from a stolen
digest is out of reach, unlike a human-chosen password.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from vigil.accounts.models import RecoveryCode, User

COUNT = 10
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 symbols: 5 bits each, no 0/O or 1/I
LENGTH = 16


def normalise(code: str) -> str:
    """A code as typed (any case, spaces or dashes) in its canonical form."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _digest(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def looks_like_recovery_code(code: str) -> bool:
    """Whether the input has the shape of a recovery code rather than a six-digit code."""
    return len(normalise(code)) == LENGTH


def new_code() -> str:
    """A fresh code, shown as four dash-separated groups."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, LENGTH, 4))


def regenerate(user: User) -> list[str]:
    """Replace the user's recovery codes with fresh ones and return them (shown once)."""
    codes = [new_code() for _ in range(COUNT)]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            [RecoveryCode(user=user, digest=_digest(c)) for c in codes]
        )
    return codes


def use(user: User, code: str) -> bool:
    """Spend one recovery code; a used or unknown code is refused."""
    if not looks_like_recovery_code(code):
        return False
    spent = RecoveryCode.objects.filter(
        user=user, digest=_digest(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    return bool(spent)


def remaining(user: User) -> int:
    """How many unused recovery codes the user has."""
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
