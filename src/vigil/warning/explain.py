"""One person's risk at a date, with the signals that raised it, their weights and sources.

Fitted as the backtest fits at a cut-off: on the person-periods whose horizon closed before the
date, with labels known before it. Confidential: for the acting user's eyes, never exported.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from threadpoolctl import threadpool_limits

from vigil.core.errors import ValidationFailed
from vigil.warning.model import HazardModel
from vigil.warning.outcomes import Outcome
from vigil.warning.panel import build_panel, monthly_cutoffs
from vigil.warning.record import WarningRecord
from vigil.warning.signals import prepare, signal_sources, signals_at


def explain(
    record: WarningRecord,
    person: str,
    at: dt.date,
    horizon_days: int = 90,
    outcome: Outcome = Outcome.CRIMINAL,
) -> dict[str, Any]:
    """The probability of ``outcome`` within the horizon for ``person`` from ``at``, explained."""
    if record.acts.empty:
        raise ValidationFailed("The record holds no dated acts on persons the account may see.")
    tables = prepare(record, outcome)
    c = pd.Timestamp(at)
    h = pd.Timedelta(days=horizon_days)
    current = signals_at(tables, c)
    result: dict[str, Any] = {
        "person": person,
        "at": str(at),
        "horizon_days": horizon_days,
        "outcome": outcome.value,
    }
    if person not in current.index:
        result |= {"probability": None, "reasons": [], "note": "No signal known before this date."}
        return result
    first = record.acts["known"].min()
    cutoffs = [k for k in monthly_cutoffs(first.date(), at) if k + h <= c]
    with threadpool_limits(limits=1):
        panel = build_panel(tables, cutoffs, horizon_days, outcome)
        y = (panel["label_known"] < c).to_numpy(dtype=int) if not panel.empty else None
        if y is None:
            raise ValidationFailed(f"No person-period closed before {at}: nothing to fit on.")
        model = HazardModel().fit(panel, y)
        row = current.loc[[person]]
        probability = float(model.predict(row)[0])
    sources = signal_sources(tables, person, at)
    reasons = []
    for signal, weight in model.reasons(row.iloc[0], top=5):
        group = signal if signal in sources else _source_key(signal)
        reasons.append(
            {
                "signal": signal,
                "value": round(float(row.iloc[0][signal]), 4),
                "weight": round(float(weight), 4),
                "records": sources.get(group, []),
            }
        )
    result |= {
        "probability": round(probability, 5),
        "model_fitted": model.fitted,
        "training_events": int(y.sum()),
        "reasons": reasons,
        "note": model.fallback_reason,
    }
    return result


def _source_key(signal: str) -> str:
    """Detention recency and totals come from the administrative detentions."""
    if "detention" in signal:
        return "n_administrative_detention"
    return signal
