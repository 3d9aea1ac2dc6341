"""The outcome: a criminal arrest (configurable: any detention), and when it became known.

A detention on the day of the outcome is part of the outcome, not a signal: :func:`precursor_acts`
leaves such acts out of the signals.
"""

from __future__ import annotations

from enum import StrEnum

import pandas as pd

from vigil.core.errors import ValidationFailed


class Outcome(StrEnum):
    CRIMINAL = "criminal"
    ANY = "any"


OUTCOME_TYPES: dict[Outcome, frozenset[str]] = {
    Outcome.CRIMINAL: frozenset({"arrest"}),
    Outcome.ANY: frozenset(
        {"arrest", "detention", "administrative_arrest", "incommunicado_detention"}
    ),
}
DETAINING = OUTCOME_TYPES[Outcome.ANY]


def parse_outcome(value: str) -> Outcome:
    try:
        return Outcome(value)
    except ValueError:
        choices = ", ".join(o.value for o in Outcome)
        raise ValidationFailed(f"Unknown outcome {value!r}: choose one of {choices}.") from None


def outcome_acts(acts: pd.DataFrame, outcome: Outcome) -> pd.DataFrame:
    """The acts that are outcomes: ``person``, ``date`` (when it happened), ``known``, ``act``."""
    rows = acts[acts["act_type"].isin(OUTCOME_TYPES[outcome])]
    return rows[["act", "person", "date", "known"]].reset_index(drop=True)


def precursor_acts(acts: pd.DataFrame, outcome: Outcome) -> pd.DataFrame:
    """Acts usable as signals, leaving out the outcomes themselves.

    For the criminal outcome, the arrest and any detention on the day of one of the person's
    criminal arrests are the outcome (the same detention recorded twice), never a signal. For
    any detention, a past detention is a signal and a future one the outcome: signals only
    ever read acts dated and known before a cut-off, and outcomes only those on or after it.
    """
    if outcome is Outcome.ANY:
        return acts.reset_index(drop=True)
    events = outcome_acts(acts, outcome)
    days = set(zip(events["person"], events["date"], strict=True))
    same_day = [
        t in DETAINING and (p, d) in days
        for p, d, t in zip(acts["person"], acts["date"], acts["act_type"], strict=True)
    ]
    return acts[~pd.Series(same_day, index=acts.index, dtype=bool)].reset_index(drop=True)
