"""Policy errors, now in ``vigil.core.errors``; this re-export goes once every import moved."""

from __future__ import annotations

from vigil.core.errors import Forbidden, QuotaExceeded

__all__ = ["Forbidden", "QuotaExceeded"]
