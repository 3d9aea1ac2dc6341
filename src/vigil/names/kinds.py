"""Which kind of name a text is (person or organisation), and comparison by kind."""

from __future__ import annotations

import re
from dataclasses import dataclass

from vigil.names.compare import compare
from vigil.names.org_terms import OrgName, read_org_name
from vigil.names.organisations import Comparison, compare_organisations
from vigil.names.origins import prepare_person_name, romanise_other_scripts

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
_QUOTES = re.compile(r"[«»„“”\"&]")  # quotes, and the ampersand of "Chase & Co."
_DIGITS = re.compile(r"\d")


def classify_name(text: str) -> str:
    """'organisation' when a name has a legal form, a known body, generic organisation words,
    quotes, digits or many words; 'person' otherwise (a Roman numeral alone decides nothing)."""
    if _QUOTES.search(text) or _DIGITS.search(text):
        return ORGANISATION
    text, _ = romanise_other_scripts(text)
    name = read_org_name(text)
    if name.legal_forms and _written_as_legal_form(text, name):
        return ORGANISATION  # (a Roman numeral alone is a regnal number: Henry VIII)
    if any(part.kind in _ORG_KINDS for part in name.parts):
        return ORGANISATION
    # Honorifics, particles (bin, al-) and regnal numbers are parts of persons' names.
    words = prepare_person_name(text).text.split()
    if len(words) > MAX_PERSON_WORDS or _ORG_CONNECTIVES & set(name.tokens):
        return ORGANISATION  # many words, or connectives (of, the, по) that names do not have
    return PERSON


def _written_as_legal_form(text: str, name: OrgName) -> bool:
    """True unless the only legal form read is a two-letter word in lower or title case, which
    in a short name is more likely a person's name (Hu Jintao: "Hu" also spells ГУ)."""
    removed = list(name.tokens)
    for part in name.parts:
        for token in part.text.split():
            if token in removed:
                removed.remove(token)
    if any(len(token) > 2 and not token.isdigit() for token in removed):
        return True
    undotted = text.replace(".", "")  # S.A. → SA
    return any(len(word) >= 2 and word.isupper() for word in re.findall(r"[^\W\d_]+", undotted))


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
