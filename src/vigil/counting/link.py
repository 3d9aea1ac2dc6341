"""Link two person lists: block on name keys, compare, learn weights by EM, pair one-to-one.

A pair is a match when its posterior probability is at least ``MATCH_PROBABILITY``, its names
score at least the review threshold, and neither person has a likelier match; pairs from
``REVIEW_PROBABILITY`` up that are not matches are reported for clerical review.

Blocking: a pair is compared when the names share a `vigil.names` search key (the sound
skeleton of a token, script-independent, or a given-name id); keys shared by more than
``COMMON_KEY`` names on the right are skipped for a name that has rarer keys. The recall of
blocking is estimated, not assumed: a seeded sample of the pairs left out is scored by name,
and the share at or above the review threshold is scaled to all left-out pairs.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from vigil.counting.fellegi_sunter import FellegiSunterModel, compare_pair, fit_em
from vigil.counting.person_lists import ListedPerson
from vigil.names.compare import compare_features, features
from vigil.names.keys import search_keys
from vigil.names.thresholds import REVIEW_THRESHOLD

COMMON_KEY = 200
#: A pair at or above this probability is a match (if neither side has a better one).
MATCH_PROBABILITY = 0.5
#: Pairs between this and a match are reported for clerical review (match false).
REVIEW_PROBABILITY = 0.1
#: A match also needs names at least this alike: agreeing birth date and sex with different
#: names (a name change, or two people born the same day) is for a person to decide.
MATCH_NAME_SCORE = REVIEW_THRESHOLD
#: Left-out pairs scored to estimate what blocking missed.
RECALL_SAMPLE = 2000


@dataclass(frozen=True)
class LinkedPair:
    left: str
    right: str
    probability: float
    match: bool
    name_score: float


@dataclass(frozen=True)
class LinkResult:
    """Pairs at or above the review probability, and how the linking went."""

    pairs: list[LinkedPair]
    compared: int
    possible: int
    model: FellegiSunterModel | None
    left_out_similar: float
    blocking_recall: float

    def summary(self) -> str:
        matches = sum(p.match for p in self.pairs)
        review = len(self.pairs) - matches
        lines = [
            f"Compared {self.compared:,} of {self.possible:,} possible pairs "
            f"(blocking on name keys); {matches} matches, {review} for review.",
            f"Blocking recall (estimated from a sample of the pairs left out): "
            f"{self.blocking_recall:.1%} — about {self.left_out_similar:.1f} similar pairs "
            "left out.",
        ]
        if self.model is not None:
            lines.append(
                f"EM: {self.model.iterations} iterations, match share "
                f"{self.model.match_share:.4f}; weights log2(m/u): {self.model.weights()}"
            )
        return "\n".join(lines)


def link(
    left: list[ListedPerson], right: list[ListedPerson], seed: int = 0
) -> LinkResult:
    """Link ``left`` to ``right``; each person is linked to at most one on the other list."""
    candidates = block(left, right)
    possible = len(left) * len(right)
    if not candidates:
        return LinkResult([], 0, possible, None, 0.0, 0.0)
    compared = [
        compare_pair(a.name, b.name, a.birth_date, b.birth_date, a.sex, b.sex)
        for a, b in ((left[i], right[j]) for i, j in candidates)
    ]
    levels = np.array([c[0] for c in compared], dtype=np.int64)
    model, probability = fit_em(levels)
    pairs = _one_to_one(left, right, candidates, probability, [c[1] for c in compared])
    similar = _left_out_similar(left, right, set(candidates), possible, seed)
    matches = sum(p.match for p in pairs)
    recall = matches / (matches + similar) if matches + similar else 1.0
    return LinkResult(pairs, len(candidates), possible, model, similar, recall)


def block(left: list[ListedPerson], right: list[ListedPerson]) -> list[tuple[int, int]]:
    """Index pairs (left, right) whose names share a search key (rare keys first)."""
    postings: dict[str, list[int]] = defaultdict(list)
    for j, person in enumerate(right):
        for key in search_keys(person.name):
            postings[key].append(j)
    pairs: set[tuple[int, int]] = set()
    for i, person in enumerate(left):
        keys = [k for k in search_keys(person.name) if k in postings]
        rare = [k for k in keys if len(postings[k]) <= COMMON_KEY]
        for key in rare or keys:
            pairs.update((i, j) for j in postings[key])
    return sorted(pairs)


def _one_to_one(
    left: list[ListedPerson],
    right: list[ListedPerson],
    candidates: list[tuple[int, int]],
    probability: np.ndarray,
    name_scores: list[float],
) -> list[LinkedPair]:
    """Greedy by probability: a pair matches when neither side already has a better match."""
    order = sorted(range(len(candidates)), key=lambda k: (-probability[k], candidates[k]))
    used_left: set[int] = set()
    used_right: set[int] = set()
    out: list[LinkedPair] = []
    for k in order:
        p = float(probability[k])
        if p < REVIEW_PROBABILITY:
            break
        i, j = candidates[k]
        match = (
            p >= MATCH_PROBABILITY
            and name_scores[k] >= MATCH_NAME_SCORE
            and i not in used_left
            and j not in used_right
        )
        if match:
            used_left.add(i)
            used_right.add(j)
        out.append(LinkedPair(left[i].id, right[j].id, round(p, 6), match, name_scores[k]))
    return out


def _left_out_similar(
    left: list[ListedPerson],
    right: list[ListedPerson],
    blocked: set[tuple[int, int]],
    possible: int,
    seed: int,
) -> float:
    """Estimated number of left-out pairs whose names score at or above review threshold."""
    left_out = possible - len(blocked)
    if left_out <= 0:
        return 0.0
    rng = random.Random(seed)
    if left_out <= RECALL_SAMPLE:
        sample = [
            (i, j) for i in range(len(left)) for j in range(len(right)) if (i, j) not in blocked
        ]
    else:
        sample = []
        while len(sample) < RECALL_SAMPLE:
            pair = (rng.randrange(len(left)), rng.randrange(len(right)))
            if pair not in blocked:
                sample.append(pair)
    similar = sum(
        compare_features(features(left[i].name), features(right[j].name)).name_score
        >= REVIEW_THRESHOLD
        for i, j in sample
    )
    return similar * left_out / len(sample) if sample else 0.0


def pairwise_f1(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, float]:
    """Precision, recall and F1 of found pairs against true pairs."""
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1 if not math.isnan(f1) else 0.0}
