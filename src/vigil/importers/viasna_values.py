"""How to read the cells of the Viasna political-prisoner list: names, places, statuses."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from vigil.core.errors import VigilError
from vigil.names.homoglyphs import repair_homoglyphs

__all__ = [
    "LibertyHint",
    "PersonNameParts",
    "Place",
    "PlaceKind",
    "StatusMeaning",
    "ViasnaStatus",
    "ViasnaValueError",
    "classify_place",
    "parse_status",
    "split_people",
    "withheld_name",
]


class ViasnaValueError(VigilError, ValueError):
    """A Viasna cell value that Vigil does not know how to read."""


# --- people: the `judge` and `counsel` columns -------------------------------------------

_PEOPLE_SEPARATOR = re.compile(r"\s*[,;]\s*")
_INITIAL = re.compile(r"[^\W\d_]{1,2}\.")


@dataclass(frozen=True, slots=True)
class PersonNameParts:
    """One person named in a cell, split into given name and surname."""

    text: str
    given_name: str | None
    surname: str
    middle: str | None = None
    surname_first: bool = False
    surname_only: bool = False


def split_people(cell: str, *, is_given_name: Callable[[str], bool]) -> list[PersonNameParts]:
    """Split a comma-separated cell of names ("Given Surname" or "Surname Given")."""
    people = []
    for piece in _PEOPLE_SEPARATOR.split(repair_homoglyphs(cell).strip()):
        if piece:
            people.append(_split_person(piece, is_given_name))
    return people


def _split_person(piece: str, is_given_name: Callable[[str], bool]) -> PersonNameParts:
    """Split one name; the surname comes first when only the last word is a given name."""
    words = piece.split()
    if len(words) == 1:
        return PersonNameParts(piece, None, words[0], surname_only=True)

    def given(word: str) -> bool:
        return bool(_INITIAL.fullmatch(word)) or is_given_name(word)

    if given(words[-1]) and not given(words[0]):
        middle = " ".join(words[1:-1]) or None
        return PersonNameParts(piece, words[-1], words[0], middle, surname_first=True)
    return PersonNameParts(piece, words[0], words[-1], " ".join(words[1:-1]) or None)


# --- withheld names ----------------------------------------------------------------------

_WITHHELD = re.compile(
    # "Citizen A.", "Hramadzianin Zh.", "гражданка К."
    r"(?:citizen|hramadzian(?:in|ka)|гражданин|гражданка|грамадзянін|грамадзянка)"
    r"\s+(?:[^\W\d_]{1,2}\.|[^\W\d_])"
    # "Resident of Vitebsk", "A resident of Bobruisk", "жительница Гомеля"
    r"|(?:an?\s+|the\s+)?(?:resident|inhabitant|native)\s+of\s+\w.*"
    r"|(?:жител|жыхар)\w*\s+\w.*"
    # "Name withheld", "Unknown", "Anonymous"
    r"|(?:name\s+)?(?:withheld|unknown|undisclosed|not\s+disclosed|anonymous)",
    re.IGNORECASE,
)


def withheld_name(name: str) -> bool:
    """Whether a name cell withholds the person's name (blank or a placeholder)."""
    cleaned = " ".join(name.split())
    return not cleaned or bool(_WITHHELD.fullmatch(cleaned))


# --- places: the `prison_title` column ---------------------------------------------------


class PlaceKind(StrEnum):
    """What a `prison_title` value designates."""

    PRETRIAL_DETENTION_CENTRE = "pretrial_detention_centre"
    PENAL_COLONY = "penal_colony"
    JUVENILE_COLONY = "juvenile_colony"
    PRISON = "prison"
    OPEN_CORRECTIONAL_FACILITY = "open_correctional_facility"
    STATUS = "status"


class LibertyHint(StrEnum):
    """What a place says about liberty; a hint only, custody is derived from acts."""

    IN_CUSTODY = "in_custody"
    RESTRICTED_LIBERTY = "restricted_liberty"
    NOT_IN_CUSTODY = "not_in_custody"


@dataclass(frozen=True, slots=True)
class Place:
    """A place of detention (an organisation) or a custody status written in its stead."""

    kind: PlaceKind
    name: str
    number: str | None
    is_organisation: bool
    liberty: LibertyHint
    text: str


_NUMBER = re.compile(r"(?:(?:\bno\.?|№|#)\s*|(?<=\s))(\d+)\s*$", re.IGNORECASE)
_PLACES: tuple[tuple[PlaceKind, str, LibertyHint, re.Pattern[str]], ...] = (
    (
        PlaceKind.PRETRIAL_DETENTION_CENTRE,
        "Pre-trial detention centre",
        LibertyHint.IN_CUSTODY,
        re.compile(
            r"pre-?\s?trial\s+detention\s+cent(?:er|re)|sizo|сизо|сіза|следственн\w+\s+изолятор"
        ),
    ),
    (
        PlaceKind.JUVENILE_COLONY,
        "Juvenile penal colony",
        LibertyHint.IN_CUSTODY,
        re.compile(r"juvenile\s+(?:penal\s+|correctional\s+)?colony|воспитательн\w+\s+колони\w+"),
    ),
    (
        PlaceKind.OPEN_CORRECTIONAL_FACILITY,
        "Open correctional facility",
        LibertyHint.RESTRICTED_LIBERTY,
        re.compile(
            r"open\s+(?:correctional|penal)\s+(?:facility|institution)|иуот|іуат"
            r"|исправительн\w+\s+учреждени\w+\s+открытого\s+типа"
        ),
    ),
    (
        PlaceKind.PENAL_COLONY,
        "Penal colony",
        LibertyHint.IN_CUSTODY,
        re.compile(r"(?:penal\s+|correctional\s+)?colony|ик|исправительн\w+\s+колони\w+|калоні\w*"),
    ),
    (PlaceKind.PRISON, "Prison", LibertyHint.IN_CUSTODY, re.compile(r"prison|тюрьма|турма")),
)
_STATUSES: tuple[tuple[str, LibertyHint, re.Pattern[str]], ...] = (
    (
        "House arrest",
        LibertyHint.RESTRICTED_LIBERTY,
        re.compile(r"(?:under\s+)?house\s+arrest|домашн\w+\s+арест|хатн\w+\s+арышт"),
    ),
    (
        "Released awaiting the commencement of the sentence",
        LibertyHint.NOT_IN_CUSTODY,
        re.compile(
            r"released\s+(?:and\s+)?awaiting\s+(?:the\s+)?commencement\s+of\s+(?:the\s+)?sentence"
        ),
    ),
)


def classify_place(prison_title: str) -> Place | None:
    """Classify a `prison_title` value as a facility with a canonical name, or a status."""
    cleaned = " ".join(prison_title.split())
    if not cleaned:
        return None
    lowered = cleaned.casefold()
    for name, liberty, pattern in _STATUSES:
        if pattern.fullmatch(lowered):
            return Place(PlaceKind.STATUS, name, None, False, liberty, prison_title)
    number_match = _NUMBER.search(lowered)
    number = number_match[1] if number_match else None
    designation = lowered[: number_match.start()].strip() if number_match else lowered
    for kind, label, liberty, pattern in _PLACES:
        if pattern.fullmatch(designation):
            name = f"{label} No. {number}" if number else label
            return Place(kind, name, number, True, liberty, prison_title)
    raise ViasnaValueError(f"unknown place of detention {prison_title!r}")


# --- the `status` column -----------------------------------------------------------------


class StatusMeaning(StrEnum):
    """What Viasna's status label says (a claim by the source, not Vigil's custody)."""

    CURRENT_POLITICAL_PRISONER = "current_political_prisoner"
    FORMER_POLITICAL_PRISONER = "former_political_prisoner"
    NOT_RECOGNISED = "not_recognised"


@dataclass(frozen=True, slots=True)
class ViasnaStatus:
    """The source's status value kept verbatim, with the meaning Vigil reads in it."""

    value: str
    meaning: StatusMeaning
    description: str


# Assumption, from the sample: "np" rows are mostly non-custodial sentences (home confinement,
# arrest), so "np" reads as "persecuted, not (or not currently) recognised as a political
# prisoner by Viasna"; it is not evidence of release, custody is derived from acts.
_STATUS_MEANINGS = {
    "active": (
        StatusMeaning.CURRENT_POLITICAL_PRISONER,
        "listed by Viasna as a current political prisoner",
    ),
    "former": (
        StatusMeaning.FORMER_POLITICAL_PRISONER,
        "listed by Viasna as a former political prisoner",
    ),
    "np": (
        StatusMeaning.NOT_RECOGNISED,
        "listed by Viasna as politically persecuted but not recognised as a political prisoner",
    ),
}


def parse_status(value: str) -> ViasnaStatus:
    """Read the `status` column, keeping the value verbatim."""
    known = _STATUS_MEANINGS.get(value.strip().casefold())
    if known is None:
        raise ViasnaValueError(f"unknown Viasna status {value!r}: expected active, former or np")
    meaning, description = known
    return ViasnaStatus(value, meaning, description)
