"""Sentences as written by sources: terms ("4 1/2 years") and penalties ("khimiya")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from vigil.core.errors import VigilError

__all__ = [
    "Measure",
    "Penalty",
    "PenaltyKind",
    "Regime",
    "SentenceError",
    "Term",
    "parse_penalty",
    "parse_term",
]

_MONTHS_PER_YEAR = 12
_NUMBER = r"(?:\d+\s+\d+/\d+|\d+/\d+|\d+(?:[.,]\d+)?)"
_YEARS = r"years?|yrs?\.?|y\.?|лет|года?|гадоў|гады|год"
_MONTH_UNITS = r"months?|mos?\.?|m\.?|месяц(?:а|ев)?|мес\.?|месяцаў|месяцы|месяц"
_PERIOD = re.compile(
    rf"\s*(?P<number>{_NUMBER})\s*(?:(?P<years>{_YEARS})|(?P<months>{_MONTH_UNITS}))(?!\w)",
    re.IGNORECASE,
)
# "adn" is a typo in the Viasna list, kept in the source and read as "and".
_JOIN = re.compile(r"\s*(?:,|and|adn|&|plus|и|і)(?!\w)", re.IGNORECASE)
_BARE_NUMBER = re.compile(rf"\s*(?P<number>{_NUMBER})\s*")
_DISMISSED = re.compile(
    r"(?:charges?|case|prosecution)?\s*(?:dismissed|dropped|terminated)"
    r"|(?:уголовное\s+)?дело\s+прекращено|уголовное\s+преследование\s+прекращено",
    re.IGNORECASE,
)
_FINE = re.compile(
    r"(?:fine\s+of\s+)?(?P<units>\d+)\s*(?:base\s+(?:rates?|units?|amounts?|values?)"
    r"|б\.?\s?в\.?|базов\w+\s+величин\w*|базав\w+\s+велічын\w*)",
    re.IGNORECASE,
)


class SentenceError(VigilError, ValueError):
    """A sentence term or penalty that cannot be read."""


@dataclass(frozen=True, slots=True)
class Term:
    """A sentence's length in months, or a dismissal, or a fine in base units."""

    months: int | Fraction | None
    dismissed: bool
    fine_base_units: int | None
    unit_assumed: bool
    text: str


class PenaltyKind(StrEnum):
    """The kind of punishment."""

    IMPRISONMENT = "imprisonment"
    RESTRICTED_FREEDOM = "restricted_freedom"
    ARREST = "arrest"
    SUSPENDED_IMPRISONMENT = "suspended_imprisonment"
    FINE = "fine"


class Regime(StrEnum):
    """The regime of a place of imprisonment (colony regimes, prison, juvenile colony)."""

    GENERAL = "general"
    MEDIUM = "medium"
    MAXIMUM = "maximum"
    SPECIAL = "special"
    HIGH_SECURITY_PRISON = "high_security_prison"
    JUVENILE = "juvenile"


class Measure(StrEnum):
    """How restricted freedom is served: not a regime, the person is not imprisoned."""

    OPEN_FACILITY = "open_facility"
    HOME_CONFINEMENT = "home_confinement"


@dataclass(frozen=True, slots=True)
class Penalty:
    """A punishment as the source names it, with the text kept verbatim."""

    kind: PenaltyKind
    regime: Regime | None
    measure: Measure | None
    suspended: bool
    text: str


def parse_term(text: str) -> Term | None:
    """Read a term such as "4 1/2 years", "1,5 years", "3 years and 6 months"; blank gives None."""
    cleaned = " ".join(text.split())
    if not cleaned:
        return None
    if _DISMISSED.fullmatch(cleaned):
        return Term(None, True, None, False, text)
    if match := _FINE.fullmatch(cleaned):
        return Term(None, False, int(match["units"]), False, text)
    if match := _BARE_NUMBER.fullmatch(cleaned):
        # Viasna writes terms in years; a bare number ("4 1/2") lost its unit.
        months = _number(match["number"], text) * _MONTHS_PER_YEAR
        return Term(_simplest(months), False, None, True, text)
    return Term(_simplest(_months(cleaned, text)), False, None, False, text)


def _months(cleaned: str, text: str) -> Fraction:
    """Sum "N years and M months" periods into months."""
    total = Fraction(0)
    position = 0
    units_read: list[str] = []
    while True:
        period = _PERIOD.match(cleaned, position)
        if period is None:
            raise SentenceError(f"cannot read sentence term {text!r}")
        unit = "years" if period["years"] else "months"
        if unit in units_read or units_read == ["months"]:
            raise SentenceError(f"cannot read sentence term {text!r}: {unit} out of place")
        units_read.append(unit)
        number = _number(period["number"], text)
        total += number * _MONTHS_PER_YEAR if unit == "years" else number
        position = period.end()
        if position == len(cleaned):
            return total
        if join := _JOIN.match(cleaned, position):
            position = join.end()


def _number(written: str, text: str) -> Fraction:
    """Read "4", "4 1/2", "1/2", "1,5" or "1.5" exactly."""
    whole, _, fraction = written.strip().partition(" ")
    if not fraction and "/" in whole:
        whole, fraction = "0", whole
    value = Fraction(whole.replace(",", "."))
    if fraction:
        numerator, _, denominator = fraction.partition("/")
        if int(denominator) == 0:
            raise SentenceError(f"cannot read sentence term {text!r}: division by zero")
        value += Fraction(int(numerator), int(denominator))
    return value


def _simplest(months: Fraction) -> int | Fraction:
    """Whole months as int, anything else as an exact fraction."""
    return months.numerator if months.denominator == 1 else months


_SUSPENDED = re.compile(r"suspended|conditional|probation|условн\w*|отсрочк\w*|умоўн\w*", re.I)
_KINDS: tuple[tuple[PenaltyKind, re.Pattern[str]], ...] = (
    (PenaltyKind.FINE, re.compile(r"^fine\b|штраф", re.I)),
    (PenaltyKind.ARREST, re.compile(r"^(?:administrative\s+)?arrest\b|^арест|^арышт", re.I)),
    (
        PenaltyKind.RESTRICTED_FREEDOM,
        re.compile(
            r"restrict\w*\s+(?:of\s+)?(?:freedom|liberty)|khimiya|химия"
            r"|ограничени\w+\s+свободы|абмежаванн\w+\s+волі",
            re.I,
        ),
    ),
    (
        PenaltyKind.IMPRISONMENT,
        re.compile(
            r"imprisonment|deprivation\s+of\s+(?:liberty|freedom)|\bprison\b"
            r"|лишени\w+\s+свободы|пазбаўленн\w+\s+волі|колони\w+|калоні\w+|тюрьм\w+|турм\w+",
            re.I,
        ),
    ),
)
_MEASURES: tuple[tuple[Measure, re.Pattern[str]], ...] = (
    # "domashnyaya khimiya" contains "khimiya": home confinement is tested first.
    (
        Measure.HOME_CONFINEMENT,
        re.compile(r"home\s+confinement|domashn\w+|домашн\w+|хатн\w+", re.I),
    ),
    (
        Measure.OPEN_FACILITY,
        re.compile(
            r"open\s+(?:penal|correctional)\s+(?:facility|institution)|khimiya|химия"
            r"|открытого\s+типа|адкрытага\s+тыпу|с\s+направлением",
            re.I,
        ),
    ),
)
# Viasna's English for the colony regimes: general (общий), medium-security (усиленный),
# maximum-security (строгий); special (особый) is added for completeness.
_REGIMES: tuple[tuple[Regime, re.Pattern[str]], ...] = (
    (Regime.JUVENILE, re.compile(r"juvenile|воспитательн\w+|выхаваўч\w+", re.I)),
    (Regime.GENERAL, re.compile(r"general|общего|агульнага", re.I)),
    (Regime.MEDIUM, re.compile(r"medium|reinforced|усиленного|узмоцненага", re.I)),
    (Regime.MAXIMUM, re.compile(r"maximum|strict|строгого|строгага", re.I)),
    (Regime.SPECIAL, re.compile(r"special|особого|асаблівага", re.I)),
    (Regime.HIGH_SECURITY_PRISON, re.compile(r"\bprison\b|тюрьм\w+|турм\w+", re.I)),
)
_COLONY = re.compile(r"colony|колони\w+|калоні\w+", re.I)


def parse_penalty(text: str) -> Penalty | None:
    """Read a penalty such as "imprisonment in a medium-security penal colony"; blank is None."""
    cleaned = " ".join(text.split())
    if not cleaned:
        return None
    kinds = [kind for kind, pattern in _KINDS if pattern.search(cleaned)]
    if not kinds:
        raise SentenceError(f"unknown penalty {text!r}")
    if len(kinds) > 1:
        raise SentenceError(f"penalty {text!r} names several kinds: {', '.join(kinds)}")
    kind = kinds[0]
    suspended = bool(_SUSPENDED.search(cleaned))
    if kind is PenaltyKind.IMPRISONMENT and suspended:
        return Penalty(PenaltyKind.SUSPENDED_IMPRISONMENT, None, None, True, text)
    if kind is PenaltyKind.RESTRICTED_FREEDOM:
        measure = next((m for m, pattern in _MEASURES if pattern.search(cleaned)), None)
        return Penalty(kind, None, measure, suspended, text)
    if kind is PenaltyKind.IMPRISONMENT:
        return Penalty(kind, _regime(cleaned, text), None, False, text)
    return Penalty(kind, None, None, suspended, text)


def _regime(cleaned: str, text: str) -> Regime | None:
    """The regime named in an imprisonment penalty, if any."""
    regime = next((r for r, pattern in _REGIMES if pattern.search(cleaned)), None)
    if regime is None and _COLONY.search(cleaned):
        raise SentenceError(f"penalty {text!r} names a colony but no regime Vigil knows")
    return regime
