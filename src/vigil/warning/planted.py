"""A synthetic record with planted effects, for testing that the estimator recovers them.

Fictional persons (each flagged ``is_synthetic`` when written), in organisations and in groups
that share a case (co-defendants). Month by month each person may be detained administratively,
fined, searched or summoned (noise), and arrested on a criminal charge with a monthly hazard of
``base`` multiplied by ``detention_factor`` when an administrative detention was known in the
last 90 days and by ``codefendant_factor`` when a co-defendant's arrest was known in the last 90
days. Known-since dates come a few days after the acts. A test, not a figure to publish.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import pandas as pd

from vigil.warning.record import WarningRecord

PLANTED = ("recent_detention_90", "codefendant_arrested_90")
NOISE = {"administrative_fine": 0.04, "search": 0.02, "summons": 0.03}


@dataclass(frozen=True)
class PlantedSpec:
    persons: int = 300
    months: int = 36
    start: dt.date = dt.date(2019, 1, 1)
    group_size: int = 4
    organisations: int = 15
    detention_rate: float = 0.06
    base: float = 0.004
    detention_factor: float = 6.0
    codefendant_factor: float = 5.0
    seed: int = 0


def _day(rng: random.Random, month_start: dt.date) -> dt.date:
    return month_start + dt.timedelta(days=rng.randint(0, 27))


def generate(spec: PlantedSpec = PlantedSpec()) -> WarningRecord:
    """The planted record as plain tables (person ids ``p0001``...; events ``e...``)."""
    rng = random.Random(spec.seed)
    persons = [f"p{i:04d}" for i in range(spec.persons)]
    group = {p: f"g{i // spec.group_size:04d}" for i, p in enumerate(persons)}
    members = [(p, f"o{rng.randrange(spec.organisations):02d}") for p in persons]
    acts: list[tuple[str, str, str, dt.date, dt.date, float, str]] = []
    last_detention_known: dict[str, dt.date] = {}
    arrested: dict[str, dt.date] = {}  # person -> date known
    n = 0

    def add(person: str, kind: str, day: dt.date, lag: int, days: float, event: str) -> dt.date:
        nonlocal n
        n += 1
        known = day + dt.timedelta(days=rng.randint(0, lag))
        acts.append((f"a{n:06d}", person, kind, day, known, days, event))
        return known

    for m in range(spec.months):
        month = (pd.Timestamp(spec.start) + pd.DateOffset(months=m)).date()
        recent = month - dt.timedelta(days=90)
        for p in persons:
            if p in arrested:
                continue
            hazard = spec.base
            known = last_detention_known.get(p)
            if known is not None and recent <= known < month:
                hazard *= spec.detention_factor
            if any(
                recent <= k < month for q, k in arrested.items() if group[q] == group[p] and q != p
            ):
                hazard *= spec.codefendant_factor
            if rng.random() < min(hazard, 0.9):
                add(p, "arrest", _day(rng, month), 5, 0.0, f"e{group[p]}")
                arrested[p] = acts[-1][4]
                continue
            if rng.random() < spec.detention_rate:
                day = _day(rng, month)
                k = add(p, "administrative_arrest", day, 10, rng.randint(5, 15), f"e{n + 1:06d}")
                last_detention_known[p] = max(k, last_detention_known.get(p, k))
            for kind, rate in NOISE.items():
                if rng.random() < rate:
                    add(p, kind, _day(rng, month), 10, 0.0, f"e{n + 1:06d}")
    frame = pd.DataFrame(
        acts, columns=["act", "person", "act_type", "date", "known", "detention_days", "event"]
    )
    return WarningRecord(
        acts=frame, members=pd.DataFrame(members, columns=["person", "organisation"])
    )
