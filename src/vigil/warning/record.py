"""The record as plain tables: what the risk model may read, and nothing else.

``acts``: one row per act on a person (``person``, ``act_type``, ``date``, ``known`` — the date
the organisation learned it, ``detention_days``, ``event``, ``act`` id). ``org_acts``: acts on
organisations (``organisation``, ``act_type``, ``date``, ``known``, ``act``). ``members``: a
person's organisations (``person``, ``organisation``). ``counsel``: a lawyer and the client of
an act (``lawyer``, ``client``, ``act``). ``aliases``: persons counted as one
(``person`` → ``canonical``), from links across sources.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

ACT_COLUMNS = ("act", "person", "act_type", "date", "known", "detention_days", "event")
ORG_ACT_COLUMNS = ("act", "organisation", "act_type", "date", "known")


def _frame(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


@dataclass
class WarningRecord:
    acts: pd.DataFrame = field(default_factory=lambda: _frame(ACT_COLUMNS))
    org_acts: pd.DataFrame = field(default_factory=lambda: _frame(ORG_ACT_COLUMNS))
    members: pd.DataFrame = field(default_factory=lambda: _frame(("person", "organisation")))
    counsel: pd.DataFrame = field(default_factory=lambda: _frame(("lawyer", "client", "act")))
    links_used: int = 0
    links_kind: str = "names"  # "names" (offered by the names engine) or "confirmed" (a human)

    def __post_init__(self) -> None:
        self.acts = normalise_acts(self.acts)
        for frame in (self.org_acts,):
            for col in ("date", "known"):
                frame[col] = pd.to_datetime(frame[col])
            frame["known"] = frame["known"].fillna(frame["date"])

    def merge_persons(self, aliases: dict[str, str], kind: str = "names") -> None:
        """Count linked persons as one: every ``person`` in ``aliases`` becomes its target."""
        self.links_kind = kind
        if not aliases:
            return
        self.acts["person"] = self.acts["person"].map(lambda p: aliases.get(p, p))
        self.members["person"] = self.members["person"].map(lambda p: aliases.get(p, p))
        for col in ("lawyer", "client"):
            self.counsel[col] = self.counsel[col].map(lambda p: aliases.get(p, p))
        self.links_used = len(aliases)


def normalise_acts(acts: pd.DataFrame) -> pd.DataFrame:
    """Dates as timestamps; an act without a known-since date is known from its own date."""
    acts = acts.copy()
    for col in ("date", "known"):
        acts[col] = pd.to_datetime(acts[col])
    acts["known"] = acts["known"].fillna(acts["date"])
    acts["detention_days"] = pd.to_numeric(acts["detention_days"]).fillna(0.0)
    acts = acts[acts["date"].notna()]
    # Nobody learns of an act before it happens.
    acts["known"] = acts[["known", "date"]].max(axis=1)
    for col in ("act", "person", "event", "act_type"):
        acts[col] = acts[col].astype(str)
    return acts.reset_index(drop=True)
