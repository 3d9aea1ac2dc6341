"""The discrete-time hazard model and the transparent points baseline.

Each person-period row is a trial: does an outcome happen in the next horizon? The model is an
L2-regularised logistic regression on standardised signals, calibrated (Platt scaling,
cross-validated) when the training rows hold enough events; with fewer than ``MIN_EVENTS`` it
says so and the points baseline stands in. The points baseline adds fixed points per signal
(no fitting) and maps the total to a probability with a one-variable logistic fit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from vigil.warning.notes import in_english, points_reason
from vigil.warning.signals import FEATURES, NEVER_DAYS

MIN_EVENTS = 20
MIN_RECENT_EVENTS = 5  # events the latest rows need to calibrate on them alone
#: Points per signal: a transparent score anyone can compute by hand.
POINTS: dict[str, float] = {
    "recent_detention_90": 2,
    "n_administrative_detention": 1,  # per detention, at most 3
    "codefendant_arrested_90": 2,
    "colleague_arrested_90": 2,
    "client_convicted": 1,
    "organisation_designated": 2,
    "n_criminal_case_opened": 3,
    "n_search": 1,
    "n_summons_questioning": 1,
    "n_threat": 1,
    "n_extremist_or_terrorist_list": 2,
    "n_licence_lost": 1,
    "n_disbarment_proceedings": 1,
    "n_travel_restriction": 1,
}


def has_signal(row: pd.Series, feature: str) -> bool:
    """Whether the person has this signal (recency is never zero: it needs a detention)."""
    if feature == "detention_recency" and "days_since_detention" in row:
        return float(row["days_since_detention"]) < NEVER_DAYS
    return float(row[feature]) > 0


def points(rows: pd.DataFrame) -> np.ndarray:
    """The points score of each row (counts other than detentions count once)."""
    total = np.zeros(len(rows))
    for name, weight in POINTS.items():
        values = rows[name].to_numpy(dtype=float)
        if name == "n_administrative_detention":
            values = np.minimum(values, 3)
        elif name.startswith("n_"):
            values = (values > 0).astype(float)
        total += weight * values
    return total


class OneScore:
    """A score turned into a probability by a one-variable logistic fit (a baseline)."""

    def __init__(self, score: str, sign: float = 1.0) -> None:
        self.score = score
        self.sign = sign
        self._lr: LogisticRegression | None = None
        self._rate = 0.0

    def values(self, rows: pd.DataFrame) -> np.ndarray:
        if self.score == "points":
            return points(rows)
        return self.sign * rows[self.score].to_numpy(dtype=float)

    def fit(self, rows: pd.DataFrame, y: np.ndarray) -> OneScore:
        self._rate = float(np.mean(y)) if len(y) else 0.0
        x = self.values(rows).reshape(-1, 1)
        if 0 < y.sum() < len(y) and np.ptp(x) > 0:
            self._lr = LogisticRegression(C=1e4).fit(x, y)
        return self

    def scores(self, rows: pd.DataFrame) -> np.ndarray:
        """The raw score (for ranking)."""
        return self.values(rows)

    def predict(self, rows: pd.DataFrame) -> np.ndarray:
        if self._lr is None:
            return np.full(len(rows), self._rate)
        return self._lr.predict_proba(self.values(rows).reshape(-1, 1))[:, 1]


@dataclass
class HazardModel:
    """Regularised logistic regression on the signals, calibrated; or the points fallback."""

    c: float = 1.0
    seed: int = 0
    features: tuple[str, ...] = FEATURES
    fallback_reason: str = ""
    coefficients: dict[str, float] = field(default_factory=dict)
    _calibrated: CalibratedClassifierCV | None = None
    _fallback: OneScore | None = None
    _platt: LogisticRegression | None = None

    def fit(
        self, rows: pd.DataFrame, y: np.ndarray, recent: np.ndarray | None = None
    ) -> HazardModel:
        """Fit on ``rows``; with ``recent`` (a mask of the latest rows), Platt-calibrate on them.

        Calibrating on the latest closed cut-offs follows a base rate that moves over time (a
        wave of detentions); without enough events there, cross-validated Platt scaling.
        """
        events = int(y.sum())
        if events < MIN_EVENTS:
            self.fallback_reason = in_english(points_reason, events, MIN_EVENTS)
            self._fallback = OneScore("points").fit(rows, y)
            return self
        x = rows[list(self.features)].to_numpy(dtype=float)
        pipe = make_pipeline(
            StandardScaler(), LogisticRegression(C=self.c, max_iter=1000)
        )
        pipe.fit(x, y)
        lr = pipe[-1]
        self.coefficients = dict(zip(self.features, lr.coef_[0].tolist(), strict=True))
        folds = int(min(3, events, len(y) - events))
        self._platt = None
        if recent is not None and 0 < int(y[recent].sum()) >= MIN_RECENT_EVENTS:
            logit = pipe.decision_function(x[recent]).reshape(-1, 1)
            self._platt = LogisticRegression(C=1e4).fit(logit, y[recent])
            self._calibrated = None
        elif folds >= 2:
            self._calibrated = CalibratedClassifierCV(
                make_pipeline(StandardScaler(), LogisticRegression(C=self.c, max_iter=1000)),
                method="sigmoid",
                cv=folds,
            ).fit(x, y)
        else:
            self._calibrated = None
        self._pipe = pipe
        return self

    @property
    def fitted(self) -> bool:
        return self._fallback is None

    def predict(self, rows: pd.DataFrame) -> np.ndarray:
        if self._fallback is not None:
            return self._fallback.predict(rows)
        x = rows[list(self.features)].to_numpy(dtype=float)
        if self._platt is not None:
            logit = self._pipe.decision_function(x).reshape(-1, 1)
            return self._platt.predict_proba(logit)[:, 1]
        if self._calibrated is not None:
            return self._calibrated.predict_proba(x)[:, 1]
        return self._pipe.predict_proba(x)[:, 1]

    def reasons(
        self, row: pd.Series, top: int = 3, *, positive_only: bool = True
    ) -> list[tuple[str, float]]:
        """The signals present in this row that raised its score most: (signal, contribution).

        A contribution is the coefficient times the standardised value (on the logit scale);
        a signal the person does not have is never a reason, whatever its sign. With
        ``positive_only=False`` the signals that did not raise it are listed too (after those
        that did), so a score always shows what it was computed from.
        """
        if not self.coefficients:
            present = [(k, float(POINTS.get(k, 0.0))) for k in self.features if has_signal(row, k)]
            if positive_only:
                present = [(k, w) for k, w in present if w > 0]
            return sorted(present, key=lambda kv: -kv[1])[:top]
        scaler = self._pipe[0]
        z = (row[list(self.features)].to_numpy(dtype=float) - scaler.mean_) / scaler.scale_
        parts = {
            f: float(self.coefficients[f] * v)
            for f, v in zip(self.features, z, strict=True)
            if has_signal(row, f)
        }
        kept = ((k, v) for k, v in parts.items() if v > 0 or not positive_only)
        return sorted(kept, key=lambda kv: -kv[1])[:top]
