"""Policy errors (``Forbidden`` moves to ``vigil.core.errors`` later)."""

from __future__ import annotations

from vigil.core.errors import VigilError


class Forbidden(VigilError):
    """The policy does not let this user do this to this record."""

    status = 403


class QuotaExceeded(Forbidden):
    """The user has used up today's quota of identity reveals or exports."""

    status = 429
