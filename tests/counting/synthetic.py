"""Overlap tables simulated from a known total: persons in latent classes, lists as coin flips."""

from __future__ import annotations

import numpy as np

from vigil.counting.table import OverlapTable


def simulate_lists(
    total: int, classes: list[tuple[float, list[float]]], seed: int
) -> OverlapTable:
    """``classes``: (share of the population, each list's capture probability in that class)."""
    rng = np.random.default_rng(seed)
    shares = np.array([share for share, _ in classes])
    probabilities = np.array([p for _, p in classes])
    membership = rng.choice(len(classes), size=total, p=shares)
    caught = rng.random((total, probabilities.shape[1])) < probabilities[membership]
    counts: dict[tuple[int, ...], int] = {}
    for row in caught[caught.any(axis=1)]:
        key = tuple(int(bit) for bit in row)
        counts[key] = counts.get(key, 0) + 1
    names = tuple(f"L{j + 1}" for j in range(probabilities.shape[1]))
    return OverlapTable.from_counts(names, counts)


INDEPENDENT = [(1.0, [0.3, 0.25, 0.35, 0.2])]
# Half the population is much easier to record than the other half, on every list.
HETEROGENEOUS = [(0.5, [0.5, 0.45, 0.55, 0.4]), (0.5, [0.2, 0.25, 0.15, 0.2])]
