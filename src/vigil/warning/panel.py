"""Person-period rows: one row per person at risk at each monthly cut-off.

A row holds the person's signals known before the cut-off, the label (an outcome dated in
``[cut-off, cut-off + horizon)``), the date the first such outcome happened and the earliest
date one of them became known (``label_known``): a model fitted at a later cut-off ``c`` may
use the row only when its window has closed (``cut-off + horizon <= c``) and sees the label
only when ``label_known < c``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import pandas as pd

from vigil.warning.outcomes import Outcome
from vigil.warning.signals import SignalTables, signals_at

Progress = Callable[[Iterable[pd.Timestamp]], Iterable[pd.Timestamp]]


def monthly_cutoffs(start: dt.date, end: dt.date) -> list[pd.Timestamp]:
    """First days of the months from ``start``'s month (rounded up) to ``end``."""
    first = pd.Timestamp(start).to_period("M").to_timestamp()
    if first < pd.Timestamp(start):
        first += pd.offsets.MonthBegin(1)
    return list(pd.date_range(first, pd.Timestamp(end), freq="MS"))


def build_panel(
    t: SignalTables,
    cutoffs: list[pd.Timestamp],
    horizon_days: int,
    outcome: Outcome,
    progress: Progress = lambda xs: xs,
) -> pd.DataFrame:
    """The person-period rows of every cut-off (columns: signals, person, cutoff, label...)."""
    frames = []
    out = t.outcomes
    h = pd.Timedelta(days=horizon_days)
    first_arrest = out.groupby("person")["date"].min()
    for c in progress(cutoffs):
        rows = signals_at(t, c)
        if outcome is Outcome.CRIMINAL:
            # Already arrested before the cut-off: no longer at risk of a first arrest.
            done = first_arrest[first_arrest < c].index
            rows = rows[~rows.index.isin(done)]
        if rows.empty:
            continue
        window = out[(out["date"] >= c) & (out["date"] < c + h)]
        agg = window.groupby("person").agg(event_date=("date", "min"), label_known=("known", "min"))
        rows = rows.join(agg, how="left")
        rows["label"] = rows["event_date"].notna().astype(int)
        rows["cutoff"] = c
        frames.append(rows.reset_index())
    if not frames:
        return pd.DataFrame(columns=["person", "cutoff", "label", "event_date", "label_known"])
    return pd.concat(frames, ignore_index=True)
