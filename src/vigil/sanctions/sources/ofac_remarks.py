"""The facts OFAC packs into the free-text `remarks` of its legacy SDN CSV."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from vigil.sanctions.sources.dates import OFAC_FORMATS, parse_date, year_range

_LABELLED = re.compile(
    r"^(?:alt\. )?(?P<label>DOB|POB|nationality|citizen|Gender)\s+(?P<value>.+)$", re.IGNORECASE
)
_RANGE = re.compile(r"^(?P<start>.+?)\s+to\s+(?P<end>.+)$|^(?P<from>\d{4})\s*-\s*(?P<to>\d{4})$")
# Weak (low-quality) aliases appear only here, quoted: `a.k.a. 'ALPHA GROUP'`.
_QUOTED_NAME = re.compile(r"^(?P<label>[afn])\.k\.a\.,?\s+'(?P<name>.+)'$", re.IGNORECASE)
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
    for part in _parts(text):
        quoted = _QUOTED_NAME.match(part)
        if quoted:
            remarks.names.append((quoted["name"], _QUOTED_KINDS[quoted["label"].lower()]))
            continue
        match = _LABELLED.match(part)
        if match is None:
            continue
        label = match["label"].lower()
        value = match["value"].strip()
        if label == "dob":
            dates = birth_dates(value)
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


def _parts(text: str) -> list[str]:
    """The `;`-separated statements of a remarks cell, without the closing full stop."""
    text = text.strip()
    if text.endswith("."):
        text = text[:-1]
    return [part.strip() for part in text.split(";") if part.strip()]
