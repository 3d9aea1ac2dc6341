"""Rolling-origin backtest: at each monthly cut-off, fit on what was known, predict the horizon.

At a cut-off ``c`` the model is fitted on person-period rows whose horizon had closed by ``c``,
with labels known before ``c``, and predicts every person at risk at ``c``. Pooled over the
cut-offs: AUC, recall in the top k of each cut-off, precision at the alert threshold (the
training predictions' upper ``alert_rate`` quantile), Brier score and a calibration table,
the median lead time from the first alert to the outcome; 95% intervals by a bootstrap that
resamples clusters — all rows of one outcome day together (a group arrest counts once), and
each never-arrested person's rows together. Baselines run on the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import rankdata
from threadpoolctl import threadpool_limits

from vigil.core.errors import ValidationFailed
from vigil.warning import notes
from vigil.warning.model import MIN_EVENTS, HazardModel, OneScore
from vigil.warning.notes import backtest_error, backtest_note, in_english
from vigil.warning.outcomes import Outcome
from vigil.warning.panel import build_panel, monthly_cutoffs
from vigil.warning.record import WarningRecord
from vigil.warning.signals import prepare

Progress = Callable[[Iterable[Any]], Iterable[Any]]
BASELINES: dict[str, tuple[str, float]] = {
    "recency": ("days_since_detention", -1.0),
    "prior_detentions": ("n_administrative_detention", 1.0),
    "network_arrested_90": ("network_arrested_90", 1.0),
    "points": ("points", 1.0),
}


@dataclass(frozen=True)
class BacktestConfig:
    horizon_days: int = 90
    start: dt.date | None = None
    end: dt.date | None = None
    outcome: Outcome = Outcome.CRIMINAL
    seed: int = 0
    bootstrap: int = 200
    alert_rate: float = 0.05
    top_k: tuple[int, ...] = (10, 50)
    warmup_months: int = 12
    recalibrate_months: int = 0  # calibrate on the latest N months of closed cut-offs (0: CV)


def auc(y: np.ndarray, s: np.ndarray) -> float | None:
    """The area under the ROC curve (ties count a half); None without both classes."""
    pos = int(y.sum())
    neg = len(y) - pos
    if pos == 0 or neg == 0:
        return None
    ranks = rankdata(s)
    return float((ranks[y == 1].sum() - pos * (pos + 1) / 2) / (pos * neg))


def cluster_ids(rows: pd.DataFrame) -> np.ndarray:
    """A positive row's cluster is its outcome day; a negative row's, its person."""
    day = rows["event_date"].dt.strftime("d:%Y-%m-%d")
    return np.where(rows["label"] == 1, day, "p:" + rows["person"].astype(str))


def bootstrap_auc(
    y: np.ndarray, s: np.ndarray, clusters: np.ndarray, reps: int, seed: int
) -> list[float | None]:
    """95% interval of the AUC, resampling positive and negative clusters separately."""
    if auc(y, s) is None or reps <= 0:
        return [None, None]
    rng = np.random.default_rng(seed)
    codes, inverse = np.unique(clusters, return_inverse=True)
    members = pd.Series(np.arange(len(y))).groupby(inverse).apply(np.asarray).to_list()
    positive = np.array([y[m[0]] == 1 for m in members])
    pos_ids, neg_ids = np.flatnonzero(positive), np.flatnonzero(~positive)
    values = []
    for _ in range(reps):
        chosen = np.concatenate(
            [rng.choice(pos_ids, len(pos_ids)), rng.choice(neg_ids, len(neg_ids))]
        )
        idx = np.concatenate([members[i] for i in chosen])
        a = auc(y[idx], s[idx])
        if a is not None:
            values.append(a)
    lo, hi = np.percentile(values, [2.5, 97.5])
    return [round(float(lo), 4), round(float(hi), 4)]


def calibration_table(y: np.ndarray, p: np.ndarray, bins: int = 10) -> list[dict[str, Any]]:
    """Rows grouped by deciles of the predicted probability: predicted and observed rates."""
    if len(p) == 0:
        return []
    edges = np.unique(np.quantile(p, np.linspace(0, 1, bins + 1)))
    which = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, max(len(edges) - 2, 0))
    table = []
    for b in np.unique(which):
        m = which == b
        table.append(
            {
                "rows": int(m.sum()),
                "predicted": round(float(p[m].mean()), 5),
                "observed": round(float(y[m].mean()), 5),
                "events": int(y[m].sum()),
            }
        )
    return table


def _round(x: float | None, digits: int = 4) -> float | None:
    return None if x is None or np.isnan(x) else round(float(x), digits)


def evaluate(
    rows: pd.DataFrame, score: str, prob: str, alert: str, config: BacktestConfig
) -> dict[str, Any]:
    """The figures of one scorer over the pooled prediction rows."""
    y = rows["label"].to_numpy(dtype=int)
    s = rows[score].to_numpy(dtype=float)
    p = rows[prob].to_numpy(dtype=float)
    alerted = rows[alert].to_numpy(dtype=bool)
    rng = np.random.default_rng(config.seed)
    tiebreak = rng.random(len(rows))
    recall: dict[str, float | None] = {}
    total = int(y.sum())
    for k in config.top_k:
        hits = 0
        for _, idx in rows.groupby("cutoff").indices.items():
            order = np.lexsort((tiebreak[idx], -s[idx]))[:k]
            hits += int(y[idx][order].sum())
        recall[str(k)] = _round(hits / total) if total else None
    # Ranking within each cut-off only (weighted by its outcome rows): free of the drift of
    # base rates between cut-offs that a pooled AUC of probabilities also measures.
    within = [
        (a, int(y[idx].sum()))
        for idx in rows.groupby("cutoff").indices.values()
        if (a := auc(y[idx], s[idx])) is not None
    ]
    weight = sum(n for _, n in within)
    alerts = int(alerted.sum())
    lead: list[float] = []
    positives = rows[(rows["label"] == 1) & alerted]
    if not positives.empty:
        first = positives.groupby(["person", "event_date"])["cutoff"].min().reset_index()
        lead = ((first["event_date"] - first["cutoff"]).dt.days).tolist()
    return {
        "auc": _round(auc(y, s)),
        "auc_ci": bootstrap_auc(y, s, cluster_ids(rows), config.bootstrap, config.seed),
        "auc_within_cutoffs": _round(sum(a * n for a, n in within) / weight) if weight else None,
        "recall_at_k": recall,
        "precision_at_threshold": _round(y[alerted].mean()) if alerts else None,
        "threshold": _round(float(rows[f"{alert}_threshold"].median()), 5),
        "alerts": alerts,
        "brier": _round(float(np.mean((p - y) ** 2)), 5),
        "lead_time_days_median": float(np.median(lead)) if lead else None,
        "events_alerted": len(lead),
        "calibration": calibration_table(y, p),
    }


class BacktestFailed(ValidationFailed):
    """The backtest could not be run: ``code`` and ``values`` say why (the fit stores them, and
    the model card writes the reason in its page's language); the message is its English text,
    what the command prints."""

    def __init__(self, code: str, **values: Any) -> None:
        super().__init__(in_english(backtest_error, code, values))
        self.code = code
        self.values = values


def _window(record: WarningRecord, config: BacktestConfig) -> tuple[pd.Timestamp, pd.Timestamp]:
    acts = record.acts
    if acts.empty:
        raise BacktestFailed(notes.NO_ACTS)
    first, last = acts["known"].min(), acts["date"].max()
    start = pd.Timestamp(config.start) if config.start else first + pd.DateOffset(
        months=config.warmup_months
    )
    end = (
        pd.Timestamp(config.end)
        if config.end
        else last - pd.Timedelta(days=config.horizon_days)
    )
    if start > end:
        raise BacktestFailed(
            notes.NO_WINDOW,
            start=str(start.date()),
            end=str(end.date()),
            first=str(first.date()),
            last=str(last.date()),
            horizon=config.horizon_days,
        )
    return start, end


def run_backtest(
    record: WarningRecord, config: BacktestConfig, progress: Progress = lambda xs: xs
) -> dict[str, Any]:
    """The rolling-origin backtest of the model and the baselines on ``record``."""
    # Many small fits: BLAS threads only add contention (ten times slower on a busy machine).
    with threadpool_limits(limits=1):
        return _run(record, config, progress)


def _run(record: WarningRecord, config: BacktestConfig, progress: Progress) -> dict[str, Any]:
    if config.horizon_days <= 0:
        raise BacktestFailed(notes.HORIZON)
    start, end = _window(record, config)
    tables = prepare(record, config.outcome)
    first = record.acts["known"].min()
    cutoffs = monthly_cutoffs(first.date(), end.date())
    panel = build_panel(tables, cutoffs, config.horizon_days, config.outcome)
    if panel.empty:
        raise BacktestFailed(notes.NO_SIGNAL)
    panel["network_arrested_90"] = panel[
        ["colleague_arrested_90", "codefendant_arrested_90"]
    ].max(axis=1)
    horizon = pd.Timedelta(days=config.horizon_days)
    tested = [c for c in cutoffs if c >= start]
    out: list[pd.DataFrame] = []
    fitted = 0
    last_model: HazardModel | None = None
    for c in progress(tested):
        test = panel[panel["cutoff"] == c].copy()
        train = panel[panel["cutoff"] + horizon <= c]
        if test.empty or train.empty:
            continue
        y = (train["label_known"] < c).to_numpy(dtype=int)
        recent = None
        if config.recalibrate_months:
            since = c - horizon - pd.DateOffset(months=config.recalibrate_months)
            recent = (train["cutoff"] >= since).to_numpy()
        model = HazardModel(seed=config.seed).fit(train, y, recent)
        fitted += model.fitted
        last_model = model
        q = 1 - config.alert_rate
        scorers: dict[str, Any] = {"model": model}
        for name, (column, sign) in BASELINES.items():
            scorers[name] = OneScore(column, sign).fit(train, y)
        for name, scorer in scorers.items():
            prob = scorer.predict(test)
            train_prob = scorer.predict(train)
            threshold = float(np.quantile(train_prob, q))
            test[f"{name}_p"] = prob
            test[f"{name}_s"] = prob if name == "model" else scorer.scores(test)
            # A score that does not vary (no one has the signal) alerts no one, not everyone.
            floor = threshold <= float(train_prob.min())
            test[f"{name}_alert"] = prob > threshold if floor else prob >= threshold
            test[f"{name}_alert_threshold"] = threshold
        out.append(test)
    if not out:
        raise BacktestFailed(notes.NO_PERSONS)
    rows = pd.concat(out, ignore_index=True)
    events = rows[rows["label"] == 1][["person", "event_date"]].drop_duplicates()
    result: dict[str, Any] = {
        "horizon_days": config.horizon_days,
        "population": int(rows["person"].nunique()),
        "events": len(events),
        "cutoffs": int(rows["cutoff"].nunique()),
        "outcome": config.outcome.value,
        "from": str(rows["cutoff"].min().date()),
        "to": str(rows["cutoff"].max().date()),
        "person_periods": len(rows),
        "event_days": int(events["event_date"].nunique()),
        "model_fitted_cutoffs": fitted,
        "links_used": record.links_used,
        "links": record.links_kind,
        "recalibrate_months": config.recalibrate_months,
    }
    result["model"] = evaluate(rows, "model_s", "model_p", "model_alert", config)
    result["baselines"] = {
        name: evaluate(rows, f"{name}_s", f"{name}_p", f"{name}_alert", config)
        for name in BASELINES
    }
    if last_model is not None and last_model.coefficients:
        result["coefficients"] = {k: round(v, 4) for k, v in last_model.coefficients.items()}
    result["note"] = in_english(backtest_note, result, MIN_EVENTS)
    return result
