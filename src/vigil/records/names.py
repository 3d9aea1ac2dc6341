"""Name helpers for the record, built on the pure `vigil.names` package."""

from __future__ import annotations

from vigil.names.normalise import normalise


def normalised_name(value: str) -> str:
    """The indexed form of a stored name (case-, accent- and punctuation-folded)."""
    return normalise(value)[:300]
