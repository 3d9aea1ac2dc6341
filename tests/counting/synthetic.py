"""Overlap tables simulated from a known total: persons in latent classes, lists as coin flips."""

from __future__ import annotations

import numpy as np

from vigil.counting.table import OverlapTable
from vigil.counting.uncertain_links import Link, LinkedLists


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


LISTS = ("A", "B", "C")


def simulated_links(
    total: int = 1500, uncertain_share: float = 0.0, seed: int = 3
) -> LinkedLists:
    """Three lists of fictional records catching persons independently, with links whose
    probabilities are calibrated: a certain link (probability 1) for most pairs of records of
    one person; for ``uncertain_share`` of them two competing links from the first record, the
    true one and one to a wrong record of the other list, at 0.6 and 0.4 — the true one gets
    0.6 with chance 0.6 — so that a link at p is right with chance p."""
    rng = np.random.default_rng(seed)
    caught = rng.random((total, 3)) < np.array([0.3, 0.25, 0.35])
    members: dict[str, list[str]] = {name: [] for name in LISTS}
    for person, row in enumerate(caught):
        for j, name in enumerate(LISTS):
            if row[j]:
                members[name].append(f"{name}{person}")
    links = []
    for person, row in enumerate(caught):
        on = [LISTS[j] for j in range(3) if row[j]]
        for x in range(len(on)):
            for y in range(x + 1, len(on)):
                a, b = (on[x], f"{on[x]}{person}"), (on[y], f"{on[y]}{person}")
                if rng.random() >= uncertain_share:
                    links.append(Link(a, b, 1.0))
                else:
                    other = members[on[y]][int(rng.integers(len(members[on[y]])))]
                    right = 0.6 if rng.random() < 0.6 else 0.4
                    links.append(Link(a, b, right))
                    if other != b[1]:
                        links.append(Link(a, (on[y], other), round(1 - right, 1)))
    return LinkedLists({k: tuple(v) for k, v in members.items()}, tuple(links))
