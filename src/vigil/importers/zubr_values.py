"""How to read the fields of ZUBR's administrative court decisions: names, penalties, articles.

Pure functions over the strings as ZUBR wrote them (Belarusian Cyrillic); each raises
:class:`ZubrValueError` naming the field and the value it could not read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from vigil.core.errors import VigilError

__all__ = [
    "Charge",
    "NameForm",
    "Penalty",
    "PersonName",
    "ZubrValueError",
    "court_kind",
    "parse_charges",
    "parse_date",
    "parse_name",
    "parse_penalty",
    "parse_sex",
]


class ZubrValueError(VigilError, ValueError):
    """A ZUBR field value that Vigil does not know how to read."""


SEX = {"м": "male", "ж": "female", "": "unknown"}


def parse_sex(value: str) -> str:
    """``м``/``ж``/blank as Vigil's sex values."""
    sex = SEX.get(value.strip().casefold())
    if sex is None:
        raise ZubrValueError(f"sex: unknown value {value!r} (expected м, ж or blank)")
    return sex


def parse_date(value: str, field: str, *, required: bool) -> dt.date | None:
    """An ISO date (YYYY-MM-DD); blank is None unless ``required``."""
    text = value.strip()
    if not text:
        if required:
            raise ZubrValueError(f"{field}: empty (a date is required)")
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ZubrValueError(f"{field}: {text!r} is not a date (YYYY-MM-DD)") from None


# --- names ----------------------------------------------------------------------------------


class NameForm(StrEnum):
    """How much of a name the source gives."""

    FULL = "full"  # surname and given name (and maybe a patronymic)
    INITIALS = "initials"  # surname and initials: "Скуратовіч А.А."
    SURNAME = "surname"  # surname alone: "Чэраповіч"


@dataclass(frozen=True, slots=True)
class PersonName:
    """A name as ZUBR writes it ("Surname Given [Patronymic]"), split."""

    text: str  # as written, spaces tidied
    surname: str
    given: str  # the given name, or the initials, or ""
    rest: str  # patronymic or further initials
    note: str  # a bracketed aside: "(малодшы)", "(Маляваныч)"
    form: NameForm

    @property
    def key_text(self) -> str:
        """The name without the aside, surname first: what identity is compared on."""
        return " ".join(p for p in (self.surname, self.given, self.rest) if p)

    @property
    def display(self) -> str:
        """Given name (or initials) first, as Vigil displays names."""
        return " ".join(p for p in (self.given, self.rest, self.surname) if p)


_GLUED = re.compile(r"(?<=[а-яёіў])(?=[А-ЯЁІЎ])")
_ASIDE = re.compile(r"\(([^)]*)\)")
_INITIAL = re.compile(r"(?:[А-ЯЁІЎA-Z][а-яёіўa-z]?\.?)+")
_WORD = re.compile(r"[^\W\d_][\w.'’ʼ-]*")


def _is_initials(word: str) -> bool:
    return bool(_INITIAL.fullmatch(word)) and (word.endswith(".") or len(word) <= 2)


def parse_name(value: str, field: str) -> PersonName:
    """Split a person's or a judge's name; ZubrValueError when it holds no name."""
    text = " ".join(_GLUED.sub(" ", value).split())
    asides = [a.strip() for a in _ASIDE.findall(text) if a.strip()]
    words = _ASIDE.sub(" ", text).split()
    if not words or not all(_WORD.fullmatch(w) for w in words):
        raise ZubrValueError(f"{field}: {value!r} is not a name")
    surname, *others = words
    if surname.endswith(".") and others:  # "Іванюк. С.А." is not seen, but "С.А. Іванюк" may be
        surname, others = others[-1], [surname, *others[:-1]]
    note = "; ".join(asides)
    if not others:
        return PersonName(text, surname, "", "", note, NameForm.SURNAME)
    # Initials may be split by spaces ("А. І.") or glued to nothing ("Д П").
    if all(_is_initials(w) for w in others):
        initials = "".join(w if w.endswith(".") else f"{w}." for w in others)
        return PersonName(text, surname, initials, "", note, NameForm.INITIALS)
    given, *rest = others
    return PersonName(text, surname, given, " ".join(rest), note, NameForm.FULL)


# --- penalties ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Penalty:
    """The penalty of a decision: days of arrest and/or a fine (base units, roubles)."""

    arrest_days: int | None
    fine_base_units: Decimal | None
    fine_roubles: Decimal | None
    arrest_text: str
    fine_text: str


_ARREST = re.compile(r"(\d{1,3})\s*сут\.?")
_FINE = re.compile(
    r"(?:(?P<units>\d+(?:[.,]\d+)?)\s*б\.?\s*в\.?)?\s*"
    r"(?:(?P<roubles>\d[\d\s]*(?:,\d{1,2})?)\s*руб\.?)?"
)


def parse_penalty(arrest: str, fine: str) -> Penalty:
    """Read the `arrest` ("15 сут.") and `fine` ("30 б.в.810,00 руб.") fields; one is needed."""
    arrest, fine = " ".join(arrest.split()), " ".join(fine.split())
    days = None
    if arrest:
        m = _ARREST.fullmatch(arrest)
        if m is None:
            raise ZubrValueError(f"arrest: {arrest!r} is not a number of days (\"15 сут.\")")
        days = int(m[1])
    units = roubles = None
    if fine:
        m = _FINE.fullmatch(fine)
        if m is None or not (m["units"] or m["roubles"]):
            raise ZubrValueError(f"fine: {fine!r} is not a fine (\"30 б.в.810,00 руб.\")")
        if m["units"]:
            units = Decimal(m["units"].replace(",", "."))
        if m["roubles"]:
            roubles = Decimal(re.sub(r"\s", "", m["roubles"]).replace(",", "."))
    if days is None and units is None and roubles is None:
        raise ZubrValueError("arrest and fine: both empty (a decision imposes one of them)")
    return Penalty(days, units, roubles, arrest, fine)


# --- articles -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Charge:
    """One article of the Code of Administrative Offences a decision applies."""

    article: str
    part: str
    title: str
    text: str


_PIECES = re.compile(r"[,;]\s*(?=\d{1,2}\.\d)")
_ARTICLE = re.compile(
    r"(?P<article>\d{1,2}\.\d{1,2})\.?\s*(?:\([^)]*\)\s*)?"
    r"(?:ч\.?\s*(?P<part>\d{1,2})\s*)?"
    r"(?:К[аоa]АП(?:\s*РБ)?)?",
    re.IGNORECASE,
)
_TITLE = re.compile(r"[«\"“]\s*(.+?)\s*[»\"”]")


def parse_charges(value: str) -> list[Charge]:
    """The articles of a decision ("23.34 ч.1 КаАП – «…», 23.4 КаАП – «…»"), in order."""
    text = " ".join(value.split())
    if not text:
        raise ZubrValueError("article: empty (a decision applies an article)")
    charges = []
    for piece in _PIECES.split(text):
        m = _ARTICLE.match(piece)
        if m is None:
            raise ZubrValueError(f"article: {piece!r} does not start with an article number")
        title = _TITLE.search(piece[m.end() :])
        charges.append(
            Charge(m["article"], m["part"] or "", title[1][:300] if title else "", piece)
        )
    return charges


# --- courts ---------------------------------------------------------------------------------

_NOT_A_COURT = re.compile(r"камісі|ДАІ|ДАИ|упраўленне|РУУС|міліцы", re.IGNORECASE)


def court_kind(value: str) -> str:
    """The organisation kind of the body that decided: a court, or (rarely) a commission."""
    return "ministry" if _NOT_A_COURT.search(value) else "court"
