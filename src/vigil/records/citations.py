"""Legal citations ("Part 2 of Art. 293 of the Criminal Code — ...", "ч. 2 ст. 293 УК")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Literal

from vigil.core.errors import VigilError

__all__ = [
    "Charge",
    "CitationError",
    "Code",
    "Inchoate",
    "Provision",
    "format_charge",
    "parse_charges",
    "parse_citation",
]

CELL_SEPARATOR = "|"
# A number must not run into letters ("293abc"), but may touch the next abbreviation ("ч.2ст.293").
_NUMBER = r"\d+(?:[-.]\d+)?(?!\d)(?![^\W\d_]+(?:[\s,;|]|$))"
_CODES = {
    "criminal": (
        r"criminal\s+code",
        r"уголовн\w*\s+кодекс\w*",
        r"крымінальн\w*\s+кодэкс\w*",
        r"ук",
        r"кк",
    ),
    "administrative": (
        r"code\s+of\s+(?:the\s+republic\s+of\s+belarus\s+on\s+)?administrative\s+offen[cs]es",
        r"administrative\s+(?:offen[cs]es\s+)?code",
        r"кодекс\w*\s+(?:республики\s+беларусь\s+)?об\s+административных\s+правонарушениях",
        r"кодэкс\w*\s+(?:рэспублікі\s+беларусь\s+)?аб\s+адміністрацыйных\s+правапарушэннях",
        r"коап",
        r"каап",
    ),
}
_TOKEN = re.compile(
    r"\s*(?:"
    rf"(?P<part>(?:part|pt|ч|част[ьи]|частк[аі]|частка)\.?\s*(?P<part_no>{_NUMBER}))"
    rf"|(?P<point>(?:p|point|item|clause|п|пункт\w*)\.?\s*(?P<point_no>{_NUMBER}))"
    rf"|(?P<art>(?:arts?|articles?|ст|ст\.ст|статья|статьи|статей|арт|артыкул\w*)\.?"
    rf"\s*(?P<art_no>{_NUMBER}))"
    + r"|(?P<code>(?:of\s+the\s+)?(?:"
    + "|".join(f"(?P<{code}>{'|'.join(forms)})" for code, forms in _CODES.items())
    + r")\b)"
    r"|(?P<country>(?:of\s+the\s+)?republic\s+of\s+belarus\b|рб\b"
    r"|республики\s+беларусь\b|рэспублікі\s+беларусь\b)"
    r"|(?P<of>of(?:\s+the)?\b)"
    r"|(?P<join>(?:and|и|і)\b|[,;&])"
    rf"|(?P<bare>{_NUMBER})"
    r")",
    re.IGNORECASE,
)
_TITLE_DASH = re.compile(r"\s*[—–-]+\s*")
_INCHOATE_ARTICLES = {"13": "preparation", "14": "attempt"}


class CitationError(VigilError, ValueError):
    """A legal citation that cannot be read."""


class Code(StrEnum):
    """The code a provision belongs to."""

    CRIMINAL = "criminal"
    ADMINISTRATIVE = "administrative"


class Inchoate(StrEnum):
    """An unfinished offence, cited through Art. 13 (preparation) or Art. 14 (attempt)."""

    PREPARATION = "preparation"
    ATTEMPT = "attempt"


@dataclass(frozen=True, slots=True)
class Provision:
    """One provision of a code: article with its "-N" suffix, part and point."""

    code: str
    article: str
    part: str | None = None
    point: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Charge:
    """A provision someone is charged under, with its inchoate modifier and the source text."""

    provision: Provision
    inchoate: str | None
    text: str


@dataclass(slots=True)
class _Reference:
    """A provision reference while it is being read."""

    article: str
    part: str | None = None
    point: str | None = None
    code: str | None = None


@dataclass(slots=True)
class _Reading:
    """The state of reading one citation."""

    text: str
    references: list[_Reference] = field(default_factory=list)
    part: str | None = None
    point: str | None = None

    def add_article(self, number: str) -> None:
        """Open a reference to article `number` with any pending part and point."""
        self.references.append(_Reference(number, self.part, self.point))
        self.part = self.point = None

    def settle_pending(self) -> None:
        """Attach a trailing part or point ("Art. 243 part 2") to the previous reference."""
        if self.part is None and self.point is None:
            return
        last = self.references[-1] if self.references else None
        if last is None or (self.part and last.part) or (self.point and last.point):
            raise CitationError(f"cannot read legal citation {self.text!r}: part or point of what?")
        last.part = last.part or self.part
        last.point = last.point or self.point
        self.part = self.point = None

    def assign_code(self, code: str) -> None:
        """Give `code` to every reference read since the previous code was named."""
        self.settle_pending()
        for reference in self.references:
            reference.code = reference.code or code


def parse_charges(text: str, *, default_code: str = Code.CRIMINAL) -> list[Charge]:
    """Read every charge in a cell of citations separated by " | "; blank text gives []."""
    charges: list[Charge] = []
    for citation in text.split(CELL_SEPARATOR):
        if citation.strip():
            charges.extend(parse_citation(citation.strip(), default_code=default_code))
    return charges


def parse_citation(text: str, *, default_code: str = Code.CRIMINAL) -> list[Charge]:
    """Read one citation, which may name several provisions and an inchoate modifier."""
    reading = _Reading(text)
    position = 0
    after_join = False
    while match := _TOKEN.match(text, position):
        if not match.group().strip() or (match["bare"] and not after_join):
            break
        position = match.end()
        after_join = bool(match["join"]) and bool(reading.references)
        if match["part"]:
            _set_pending(reading, "part", match["part_no"])
        elif match["point"]:
            _set_pending(reading, "point", match["point_no"])
        elif match["art"] or match["bare"]:
            reading.add_article(match["art_no"] or match["bare"])
        elif match["code"]:
            reading.assign_code(Code.CRIMINAL if match["criminal"] else Code.ADMINISTRATIVE)
        elif match["join"]:
            reading.settle_pending()
    reading.settle_pending()
    if not reading.references:
        raise CitationError(f"cannot read legal citation {text!r}: no article found")
    title = _title(text[position:], text)
    return _charges(reading.references, title, text, default_code)


def _set_pending(reading: _Reading, kind: Literal["part", "point"], number: str) -> None:
    """Hold a part or point until its article is read."""
    if getattr(reading, kind) is not None:
        reading.settle_pending()
    setattr(reading, kind, number)


def _title(rest: str, text: str) -> str | None:
    """The provision's title as written after the reference, without its dash."""
    if rest and not rest[0].isspace() and rest[0] not in "—–-":
        raise CitationError(f"cannot read legal citation {text!r}: unexpected {rest!r}")
    title = _TITLE_DASH.sub("", rest, count=1) if _TITLE_DASH.match(rest) else rest
    title = " ".join(title.split())
    if title and not title[0].isalpha():
        raise CitationError(f"cannot read legal citation {text!r}: unexpected {rest.strip()!r}")
    return title or None


def _charges(
    references: list[_Reference], title: str | None, text: str, default_code: str
) -> list[Charge]:
    """Turn references into charges, folding Art. 13 / Art. 14 into the provision they modify."""
    charges: list[Charge] = []
    inchoate: str | None = None
    for index, reference in enumerate(references):
        code = reference.code or default_code
        is_last = index == len(references) - 1
        modifier = _INCHOATE_ARTICLES.get(reference.article) if code == Code.CRIMINAL else None
        if modifier and not is_last:
            if inchoate is not None:
                raise CitationError(f"cannot read legal citation {text!r}: two inchoate modifiers")
            inchoate = modifier
            continue
        provision = Provision(code, reference.article, reference.part, reference.point)
        charges.append(Charge(provision, inchoate, text))
        inchoate = None
    if len(charges) == 1:
        only = charges[0]
        return [Charge(replace(only.provision, title=title), only.inchoate, text)]
    # A title written after several provisions describes them together, not each one.
    return charges


def format_charge(charge: Charge, *, language: Literal["en", "ru"] = "en") -> str:
    """Write a charge as Viasna does in English, or in the usual Russian short form."""
    provision = charge.provision
    modifier = {v: k for k, v in _INCHOATE_ARTICLES.items()}.get(charge.inchoate or "")
    if language == "ru":
        pieces = [f"ст. {modifier}, " if modifier else ""]
        pieces += [f"п. {provision.point} " if provision.point else ""]
        pieces += [f"ч. {provision.part} " if provision.part else ""]
        code = "УК" if provision.code == Code.CRIMINAL else "КоАП"
        pieces += [f"ст. {provision.article} {code}"]
    else:
        pieces = [f"Art. {modifier} and " if modifier else ""]
        pieces += [f"p. {provision.point} of " if provision.point else ""]
        pieces += [f"Part {provision.part} of " if provision.part else ""]
        code = (
            "Criminal Code"
            if provision.code == Code.CRIMINAL
            else "Code of Administrative Offences"
        )
        pieces += [f"Art. {provision.article} of the {code}"]
    title = f" — {provision.title}" if provision.title else ""
    return "".join(pieces) + title
