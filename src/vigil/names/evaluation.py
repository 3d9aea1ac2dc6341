"""Precision, recall and F1 of match decisions on labelled name pairs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

_TRUE = {"1", "true", "yes", "match", "y"}
_FALSE = {"0", "false", "no", "non-match", "nonmatch", "no match", "n"}


@dataclass(frozen=True)
class Scores:
    """Counts of a labelled run and the figures derived from them."""

    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int

    @property
    def precision(self) -> float:
        """Share of predicted matches that are matches (1.0 when nothing was predicted)."""
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        """Share of matches that were predicted (1.0 when there are none)."""
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def parse_label(value: str) -> bool:
    """A match label from a CSV cell (match/non-match, 1/0, true/false, yes/no)."""
    text = value.strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"label {value!r} is not match/non-match, 1/0, true/false or yes/no")


def score_decisions(pairs: Iterable[tuple[bool, bool]]) -> Scores:
    """Scores of (label, decision) pairs."""
    tp = fp = fn = tn = 0
    for label, decision in pairs:
        if label and decision:
            tp += 1
        elif decision:
            fp += 1
        elif label:
            fn += 1
        else:
            tn += 1
    return Scores(tp, fp, fn, tn)
