"""Which kind of name a text is (person or organisation), and comparison by kind."""

from __future__ import annotations

import re
from dataclasses import dataclass

from vigil.names.compare import compare
from vigil.names.org_terms import read_org_name, stopwords
from vigil.names.organisations import Comparison, compare_organisations

PERSON = "person"
ORGANISATION = "organisation"
#: Spellings of each kind accepted from users (`--kind org`).
KIND_NAMES = {
    "person": PERSON,
    "org": ORGANISATION,
    "organisation": ORGANISATION,
    "organization": ORGANISATION,
}
#: A name of more words than this (without connectives) is read as an organisation.
MAX_PERSON_WORDS = 5
#: Kinds of organisation-name parts that mark a text as an organisation's name.
_ORG_KINDS = frozenset({"alias", "generic", "qualifier", "weak"})
#: Connectives found in organisations' names and not in persons' (particles such as de, van,
#: and one-letter words that may be initials, such as и, у, are left out).
_ORG_CONNECTIVES = frozenset({"of", "the", "and", "for", "по", "па", "имени", "імя", "imeni"})
_QUOTES = re.compile(r"[«»„“”\"]")
_DIGITS = re.compile(r"\d")


def classify_name(text: str) -> str:
    """'organisation' when a name has a legal form, a known body, generic organisation words,
    quotes, digits or many words; 'person' otherwise."""
    if _QUOTES.search(text) or _DIGITS.search(text):
        return ORGANISATION
    name = read_org_name(text)
    if name.legal_forms or name.numbers:
        return ORGANISATION
    if any(part.kind in _ORG_KINDS for part in name.parts):
        return ORGANISATION
    words = [t for t in name.tokens if t not in stopwords()]
    if len(words) > MAX_PERSON_WORDS or _ORG_CONNECTIVES & set(name.tokens):
        return ORGANISATION  # many words, or connectives (of, the, по) that names do not have
    return PERSON


def kind_of(value: str) -> str:
    """The canonical kind for a user's spelling of it (ValueError for others)."""
    try:
        return KIND_NAMES[value.strip().casefold()]
    except KeyError:
        raise ValueError(f"unknown kind {value!r}: use person or org") from None


@dataclass(frozen=True)
class KindComparison:
    """A comparison of two names and the kinds they were taken for."""

    kind_a: str
    kind_b: str
    kind: str  # the kind they were compared as
    forced: bool
    score: float
    explanation: str


def compare_names(a: str, b: str, kind: str | None = None) -> KindComparison:
    """Compare two names as `kind`, or as an organisation when either looks like one."""
    if kind:
        used = kind_of(kind)
        kind_a = kind_b = used
    else:
        kind_a, kind_b = classify_name(a), classify_name(b)
        used = ORGANISATION if ORGANISATION in (kind_a, kind_b) else PERSON
    if used == ORGANISATION:
        result: Comparison = compare_organisations(a, b)
        return KindComparison(
            kind_a, kind_b, used, bool(kind), result.score, result.explanation
        )
    match = compare(a, b)
    return KindComparison(kind_a, kind_b, used, bool(kind), match.score, match.explanation)
