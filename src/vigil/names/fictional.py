"""Fictional names: given names by sex, surname stems and endings, in Latin and Cyrillic
(``data/fictional_names.csv``), for every synthetic person Vigil writes — the synthetic demo,
the demo's at-risk scenario, the warning model's planted record — so that none carries a real
person's name."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any


@dataclass(frozen=True)
class FictionalNames:
    """The fictional name parts: given names by sex, surname stems and endings."""

    given_male: tuple[tuple[str, str], ...]
    given_female: tuple[tuple[str, str], ...]
    stems: tuple[tuple[str, str], ...]
    endings: tuple[tuple[str, str, str, str], ...]

    def person(self, rng: random.Random, sex: str) -> tuple[str, str]:
        """A fictional full name as (Latin, Cyrillic), "Given Surname"."""
        female = sex == "female"
        given = rng.choice(self.given_female if female else self.given_male)
        surname = self.surname(rng, female=female)
        return f"{given[0]} {surname[0]}", f"{given[1]} {surname[1]}"

    def surname(self, rng: random.Random, *, female: bool) -> tuple[str, str]:
        """A fictional surname as (Latin, Cyrillic)."""
        stem = rng.choice(self.stems)
        ending = rng.choice(self.endings)
        if female:
            return stem[0] + ending[2], stem[1] + ending[3]
        return stem[0] + ending[0], stem[1] + ending[1]


@cache
def fictional_names() -> FictionalNames:
    """Load the fictional name list shipped with the package."""
    text = files("vigil.names").joinpath("data/fictional_names.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    parts: dict[str, list[Any]] = {"given_m": [], "given_f": [], "stem": [], "ending": []}
    for row in rows:
        pair = (row["latin"], row["cyrillic"])
        if row["kind"] == "ending":
            parts["ending"].append(pair + (row["latin_female"], row["cyrillic_female"]))
        else:
            parts[row["kind"]].append(pair)
    return FictionalNames(
        tuple(parts["given_m"]),
        tuple(parts["given_f"]),
        tuple(parts["stem"]),
        tuple(parts["ending"]),
    )
