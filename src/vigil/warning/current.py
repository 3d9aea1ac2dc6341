"""Scores for the population at risk today, each with its reasons and their source acts.

Pure computation on a :class:`~vigil.warning.record.WarningRecord`. The population is every
person with a signal known before the date and no criminal arrest yet, plus the register's
persons (who may have no signal: they get the base rate and say so), less the register's
persons marked relocated, safe or arrested. The model is fitted as at a backtest cut-off: on
person-periods whose horizon closed before the date, labels known before it; with too few
events the points baseline stands in and the result says so. The alert threshold follows the
backtest's rule: the upper ``alert_rate`` quantile of the training predictions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from vigil.core.errors import ValidationFailed
from vigil.warning.model import MIN_EVENTS, HazardModel
from vigil.warning.notes import fit_note, in_english
from vigil.warning.outcomes import Outcome
from vigil.warning.panel import build_panel, monthly_cutoffs
from vigil.warning.record import WarningRecord
from vigil.warning.signals import (
    NEVER_DAYS,
    RECENT_DAYS,
    SignalTables,
    prepare,
    signal_sources,
    signals_at,
)

ALERT_RATE = 0.05
NETWORK = ("codefendant_arrested_90", "colleague_arrested_90", "client_convicted",
           "organisation_designated")  # fmt: skip


@dataclass
class PersonScore:
    person: str
    probability: float
    above_threshold: bool
    reasons: list[dict[str, Any]]
    last_signal_on: dt.date | None = None
    last_signal_act: str | None = None


@dataclass
class CurrentScores:
    at: dt.date
    horizon_days: int
    outcome: str
    method: str  # "model" or "points"
    training_rows: int
    training_events: int
    threshold: float
    note: str
    coefficients: dict[str, float] = field(default_factory=dict)
    scores: list[PersonScore] = field(default_factory=list)


def _zero_rows(columns: pd.Index, persons: Iterable[str]) -> pd.DataFrame:
    rows = pd.DataFrame(0.0, index=pd.Index(sorted(persons), name="person"), columns=columns)
    rows["days_since_detention"] = NEVER_DAYS
    rows["detention_recency"] = float(np.exp(-NEVER_DAYS / RECENT_DAYS))
    return rows


def _own_sources(t: SignalTables, c: pd.Timestamp) -> tuple[dict[tuple[str, str], list[str]],
                                                           pd.DataFrame]:  # fmt: skip
    known = t.precursors[t.precursors["known"] < c]
    by_group = {
        (str(p), f"n_{g}"): sorted(rows["act"])
        for (p, g), rows in known.groupby(["person", "group"])
    }
    latest = known.sort_values(["date", "act"]).groupby("person").tail(1).set_index("person")
    return by_group, latest


def _source_key(signal: str) -> str:
    """Detention recency and totals come from the administrative detentions."""
    return "n_administrative_detention" if "detention" in signal else signal


def score_current(
    record: WarningRecord,
    at: dt.date,
    horizon_days: int = 90,
    outcome: Outcome = Outcome.CRIMINAL,
    *,
    also: Iterable[str] = (),
    leave_out: Iterable[str] = (),
    top: int = 5,
) -> CurrentScores:
    """Score every person at risk at ``at``; ``also`` adds persons, ``leave_out`` removes them."""
    if record.acts.empty:
        raise ValidationFailed("The record holds no dated acts on persons the account may see.")
    if horizon_days <= 0:
        raise ValidationFailed("--horizon must be a positive number of days.")
    tables = prepare(record, outcome)
    c = pd.Timestamp(at)
    h = pd.Timedelta(days=horizon_days)
    current = signals_at(tables, c)
    arrests = tables.arrests
    arrested = set(arrests[arrests["date"] < c]["person"])
    extra = {str(p) for p in also} - set(current.index) - arrested
    population = pd.concat([current, _zero_rows(current.columns, extra)])
    population = population[~population.index.isin(arrested | {str(p) for p in leave_out})]
    first = record.acts["known"].min()
    cutoffs = [k for k in monthly_cutoffs(first.date(), at) if k + h <= c]
    with threadpool_limits(limits=1):
        panel = build_panel(tables, cutoffs, horizon_days, outcome)
        if panel.empty:
            raise ValidationFailed(
                f"No person-period closed before {at}: nothing to fit on (a period needs "
                f"{horizon_days} days after its cut-off)."
            )
        y = (panel["label_known"] < c).to_numpy(dtype=int)
        model = HazardModel().fit(panel, y)
        train = model.predict(panel)
        threshold = float(np.quantile(train, 1 - ALERT_RATE))
        floor = threshold <= float(train.min())
        probs = model.predict(population) if len(population) else np.array([])
    by_group, latest = _own_sources(tables, c)
    scores = []
    for (person, row), p in zip(population.iterrows(), probs, strict=True):
        person = str(person)
        reasons = []
        network = None
        # A person whose signals all lowered the score still sees them: no score without reasons.
        found = model.reasons(row, top=top) or model.reasons(row, top=top, positive_only=False)
        for signal, weight in found:
            key = _source_key(signal)
            records = by_group.get((person, key), [])
            if not records and signal in NETWORK:
                if network is None:
                    network = signal_sources(tables, person, at)
                records = network.get(signal, [])
            reasons.append(
                {
                    "signal": signal,
                    "value": float(f"{float(row[signal]):.4g}"),
                    "weight": round(float(weight), 4),
                    "records": records,
                }
            )
        last = latest.loc[person] if person in latest.index else None
        scores.append(
            PersonScore(
                person=person,
                probability=round(float(p), 5),
                above_threshold=bool(p > threshold if floor else p >= threshold),
                reasons=reasons,
                last_signal_on=last["date"].date() if last is not None else None,
                last_signal_act=str(last["act"]) if last is not None else None,
            )
        )
    events = int(y.sum())
    method = "model" if model.fitted else "points"
    note = in_english(fit_note, method, events, MIN_EVENTS, at)
    return CurrentScores(
        at=at,
        horizon_days=horizon_days,
        outcome=outcome.value,
        method=method,
        training_rows=len(panel),
        training_events=events,
        threshold=round(threshold, 6),
        note=note,
        coefficients={k: round(v, 4) for k, v in model.coefficients.items()},
        scores=sorted(scores, key=lambda s: (-s.probability, s.person)),
    )


def describe_record(record: WarningRecord, at: dt.date) -> dict[str, Any]:
    """What a fit as of ``at`` could read (acts known before it): counts and dates, for the
    model card (no person, no score)."""
    c = pd.Timestamp(at)
    acts = record.acts[record.acts["known"] < c]
    if acts.empty:
        return {"acts": 0}
    return {
        "acts": len(acts),
        "persons_with_acts": int(acts["person"].nunique()),
        "organisation_acts": int((record.org_acts["known"] < c).sum()),
        "first_act": str(acts["date"].min().date()),
        "last_act": str(acts["date"].max().date()),
        "last_known": str(acts["known"].max().date()),
        "acts_by_type": {str(k): int(v) for k, v in acts["act_type"].value_counts().items()},
        "links_used": record.links_used,
    }
