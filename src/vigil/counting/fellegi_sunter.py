"""Fellegi–Sunter: comparison levels per field and m/u probabilities learned by EM, no labels.

A pair of records is compared field by field into levels (name similarity from `vigil.names`,
birth-date agreement, sex). Given the pair is a match (probability ``lambda``), each field's
level follows m; given it is not, u; fields are independent given the match status. EM
(Winkler 1988) fits lambda, m and u to the candidate pairs; a field missing on either side
contributes nothing. The result is each pair's posterior match probability.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from vigil.names.compare import compare_features, features
from vigil.names.evidence import birth_evidence
from vigil.names.thresholds import OPERATING_THRESHOLD, REVIEW_THRESHOLD

#: Name-score level above the operating threshold where the names are all but the same.
NAME_CLOSE = 0.92
#: Below this name score the names are different, not merely unlike (a shared key only).
NAME_DIFFERENT = 0.45
MISSING = -1
FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("different", "weak", "review", "match", "close"),
    "birth": ("mismatch", "near", "year", "date"),
    "sex": ("differs", "agrees"),
}
# Starting values: a match mostly agrees, a non-match's levels start from the data.
_M_START = {
    "name": [0.01, 0.03, 0.06, 0.2, 0.7],
    "birth": [0.05, 0.05, 0.2, 0.7],
    "sex": [0.03, 0.97],
}
#: Pseudo-count per level (half a pair) so that a level unseen among matches keeps a finite weight.
_SMOOTH = 0.5


def name_level(score: float) -> int:
    """The name field's level: index into FIELDS["name"]."""
    bounds = (NAME_DIFFERENT, REVIEW_THRESHOLD, OPERATING_THRESHOLD, NAME_CLOSE)
    return sum(score >= bound for bound in bounds)


def compare_pair(
    a_name: str, b_name: str, a_birth: str, b_birth: str, a_sex: str, b_sex: str
) -> tuple[tuple[int, int, int], float]:
    """The pair's levels (name, birth, sex; MISSING = -1) and its name score."""
    score = compare_features(features(a_name), features(b_name)).name_score
    birth, _ = birth_evidence(a_birth or None, b_birth or None)
    birth_level = FIELDS["birth"].index(birth) if birth else MISSING
    sex_level = MISSING if not (a_sex and b_sex) else int(a_sex == b_sex)
    return (name_level(score), birth_level, sex_level), score


@dataclass(frozen=True)
class FellegiSunterModel:
    """Fitted lambda, m and u per field and level, and the EM iterations it took."""

    match_share: float
    m: dict[str, list[float]]
    u: dict[str, list[float]]
    iterations: int

    def weights(self) -> dict[str, list[float]]:
        """log2(m/u) per field and level: the evidence each level carries."""
        return {
            f: [round(math.log2(mv / uv), 2) for mv, uv in zip(self.m[f], self.u[f], strict=True)]
            for f in FIELDS
        }


def fit_em(
    levels: np.ndarray, max_iterations: int = 500, tol: float = 1e-8
) -> tuple[FellegiSunterModel, np.ndarray]:
    """Fit the model to the pairs' levels (pairs × fields); return it and each pair's
    match probability. Runs on the distinct level patterns, weighted by their counts."""
    patterns, inverse, counts = np.unique(levels, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(-1)
    counts = counts.astype(float)
    names = list(FIELDS)
    m = {f: np.array(_M_START[f], dtype=float) for f in names}
    u = {f: _level_shares(patterns[:, i], counts, len(FIELDS[f])) for i, f in enumerate(names)}
    share = min(0.5, max(1e-4, 1.0 / max(1.0, counts.sum() ** 0.5)))
    posterior = np.zeros(len(patterns))
    iterations = 0
    for iterations in range(1, max_iterations + 1):  # noqa: B007 (reported below)
        log_m = np.full(len(patterns), np.log(share))
        log_u = np.full(len(patterns), np.log(1 - share))
        for i, f in enumerate(names):
            present = patterns[:, i] != MISSING
            log_m[present] += np.log(m[f][patterns[present, i]])
            log_u[present] += np.log(u[f][patterns[present, i]])
        new = 1.0 / (1.0 + np.exp(log_u - log_m))
        weights_m, weights_u = new * counts, (1 - new) * counts
        share = float(min(1 - 1e-9, max(1e-9, weights_m.sum() / counts.sum())))
        for i, f in enumerate(names):
            m[f] = _level_shares(patterns[:, i], weights_m, len(FIELDS[f]))
            u[f] = _level_shares(patterns[:, i], weights_u, len(FIELDS[f]))
        done = np.max(np.abs(new - posterior)) < tol
        posterior = new
        if done:
            break
    model = FellegiSunterModel(
        match_share=share,
        m={f: [float(v) for v in m[f]] for f in names},
        u={f: [float(v) for v in u[f]] for f in names},
        iterations=iterations,
    )
    return model, posterior[inverse]


def _level_shares(column: np.ndarray, weights: np.ndarray, size: int) -> np.ndarray:
    """Weighted share of each level among the pairs where the field is present (smoothed)."""
    present = column != MISSING
    totals = np.bincount(column[present], weights=weights[present], minlength=size) + _SMOOTH
    return totals / totals.sum()
