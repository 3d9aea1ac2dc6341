"""Birth dates, gender and positions as evidence that raises or lowers a name score."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

BirthInput = str | dt.date | int | None
_DATE_DMY = re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b")
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\b")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")

#: Share of the gap to 1 a full birth-date agreement closes.
DATE_AGREES_BONUS = 0.5
#: Share of the gap to 1 a birth-year agreement closes.
YEAR_AGREES_BONUS = 0.3
#: Factor applied when the birth years are 2+ apart.
BIRTH_MISMATCH_FACTOR = 0.75
#: Factor applied when the stated or inferred genders differ.
GENDER_MISMATCH_FACTOR = 0.8
#: Share of the gap to 1 shared position words close.
POSITION_BONUS = 0.1

Date = tuple[int, int | None, int | None]


def parse_birth(value: BirthInput) -> list[Date]:
    """(year, month, day) readings of a birth date; several for '21.11.1964 / 1965'."""
    if value is None or value == "":
        return []
    if isinstance(value, dt.date):
        return [(value.year, value.month, value.day)]
    if isinstance(value, int):
        return [(value, None, None)]
    dates: list[Date] = []
    text = value
    for day, month, year in _DATE_DMY.findall(text):
        dates.append((int(year), int(month), int(day)))
    text = _DATE_DMY.sub(" ", text)
    for year, month, day in _DATE_ISO.findall(text):
        dates.append((int(year), int(month), int(day) if day else None))
    text = _DATE_ISO.sub(" ", text)
    dates.extend((int(year), None, None) for year in _YEAR.findall(text))
    return dates


def birth_evidence(a: BirthInput, b: BirthInput) -> tuple[str, str]:
    """('date'|'year'|'near'|'mismatch'|'', note) comparing two birth dates."""
    da, db = parse_birth(a), parse_birth(b)
    if not da or not db:
        return "", ""
    best = "mismatch"
    for ya, ma, xa in da:
        for yb, mb, xb in db:
            if ya == yb and ma and mb and xa and xb:
                if (ma, xa) == (mb, xb):
                    return "date", "birth date agrees"
                best = best if best == "year" else "near"
            elif ya == yb:
                best = "year"
            elif abs(ya - yb) == 1 and best == "mismatch":
                best = "near"
    notes = {"year": "birth year agrees", "near": "birth dates close", "mismatch": "birth differs"}
    return best, notes[best]


def apply_birth(score: float, level: str) -> float:
    """A name score moved by birth-date evidence."""
    if level == "date":
        return score + (1 - score) * DATE_AGREES_BONUS
    if level == "year":
        return score + (1 - score) * YEAR_AGREES_BONUS
    if level == "mismatch":
        return score * BIRTH_MISMATCH_FACTOR
    return score


def normalise_gender(value: str | None) -> str:
    """'m', 'f' or '' from free text such as 'male' or 'F'."""
    text = (value or "").strip().casefold()
    if text in ("m", "male", "man", "мужской", "м"):
        return "m"
    if text in ("f", "female", "woman", "женский", "ж"):
        return "f"
    return ""


def position_overlap(a: Iterable[str] | None, b: Iterable[str] | None) -> bool:
    """True when two lists of positions share a word of five letters or more."""
    if not a or not b:
        return False

    def words(items: Iterable[str]) -> set[str]:
        return {w for item in items for w in re.findall(r"\w{5,}", item.casefold())}

    return bool(words(a) & words(b))
