"""Name helpers for the record, built on the pure `vigil.names` package."""

from __future__ import annotations

from vigil.names.normalise import normalise


def normalised_name(value: str, *, remember: bool = True) -> str:
    """The indexed form of a stored name (case-, accent- and punctuation-folded).

    ``remember=False`` computes it without the process-wide cache of :func:`normalise`: a
    bulk import's names are nearly all distinct, so remembering them only grew the process
    with the rows (to the cache's 200,000 entries) for no hits."""
    if not remember:
        return normalise.__wrapped__(value)[:300]
    return normalise(value)[:300]
