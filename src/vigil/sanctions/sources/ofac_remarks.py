"""The facts OFAC packs into the free-text `remarks` of its legacy SDN CSV."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from vigil.sanctions.sources.dates import OFAC_FORMATS, parse_date, year_range

# One statement, one match: a quoted weak alias (`a.k.a. 'ALPHA GROUP'`) or a labelled fact.
# Weak (low-quality) aliases appear only here; the quoted form is tried first.
_STATEMENT = re.compile(
    r"^(?:(?P<alias>[afn])\.k\.a\.,?\s+'(?P<name>.+)'"
    r"|(?:alt\. )?(?P<label>DOB|POB|nationality|citizen|Gender)\s+(?P<value>.+))$",
    re.IGNORECASE,
)
_RANGE = re.compile(r"^(?P<start>.+?)\s+to\s+(?P<end>.+)$|^(?P<from>\d{4})\s*-\s*(?P<to>\d{4})$")
_QUOTED_KINDS = {"a": "weak_alias", "n": "weak_alias", "f": "previous"}
_APPROXIMATE = re.compile(r"^(?:circa|approximately|about)\s+", re.IGNORECASE)


@dataclass
class Remarks:
    """Birth dates, places, nationalities and gender found in one `remarks` cell."""

    birth_dates: list[str] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    gender: str | None = None
    names: list[tuple[str, str]] = field(default_factory=list)
    unread_dates: list[str] = field(default_factory=list)


def parse_remarks(text: str) -> Remarks:
    """Read `DOB 15 Nov 1964; POB Minsk, Belarus; nationality Belarus; Gender Male.` and kin."""
    remarks = Remarks()
    if not text:
        return remarks
    text = text.strip()
    if text.endswith("."):
        text = text[:-1]
    match_statement = _STATEMENT.match
    for part in text.split(";"):
        match = match_statement(part.strip())
        if match is None:
            continue
        alias, name, label, value = match.groups()  # the four named groups, in order
        if alias is not None:
            remarks.names.append((name, _QUOTED_KINDS[alias.lower()]))
            continue
        label = label.lower()
        value = value.strip()
        if label == "dob":
            dates = _birth_dates(value)
            if dates:
                remarks.birth_dates.extend(dates)
            else:
                remarks.unread_dates.append(value)
        elif label == "pob":
            remarks.birth_places.append(value)
        elif label in ("nationality", "citizen"):
            remarks.nationalities.append(value)
        elif label == "gender" and value.lower() in ("male", "female"):
            remarks.gender = value.lower()
    return remarks


def birth_dates(value: str) -> list[str]:
    """ISO dates from `15 Nov 1964`, `1964`, `circa 1964`, `1960 to 1962` and the like."""
    return list(_birth_dates(value))


@lru_cache(maxsize=8192)
def _birth_dates(value: str) -> tuple[str, ...]:
    """:func:`birth_dates`, remembered: the list repeats its dates (years above all)."""
    return tuple(_read_birth_dates(value))


def _read_birth_dates(value: str) -> list[str]:
    value = _APPROXIMATE.sub("", value.strip())
    ranged = _RANGE.match(value)
    if ranged:
        start = parse_date(ranged["start"] or ranged["from"], OFAC_FORMATS)
        end = parse_date(ranged["end"] or ranged["to"], OFAC_FORMATS)
        if start and end:
            return year_range(start, end)
        return []
    single = parse_date(value, OFAC_FORMATS)
    return [single] if single else []
