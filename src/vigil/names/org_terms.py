"""Organisation names read into parts: legal forms, known bodies, generic words, numbers, tokens.

The words come from reviewable data files in `data/`: `org_legal_forms.csv` (legal forms with
stable codes and families), `org_terms.csv` (abbreviations with their expansions, generic words
translated across be/ru/en, place names) and `org_stopwords.csv`. A form in Cyrillic also matches
its romanisations under every scheme Vigil knows (ОАО = OAO, Белнефтехим = Belneftekhim).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from vigil.names.data_files import read_rows, split_cell
from vigil.names.normalise import fold_ascii, is_cyrillic, normalise
from vigil.names.transliterate import latin_variants

#: Evidence weight of one part of an organisation name, by its kind.
WEIGHTS = {
    "alias": 1.0,  # a known body (KGB, MAZ): as distinctive as a rare word
    "token": 1.0,  # a word not in the tables (Belaruskali, Armenia)
    "place": 0.5,  # a city or region: shared by many bodies
    "descriptor": 0.5,  # what a body does, translated (oil, tractor, refinery): tells bodies apart
    "country": 0.3,  # Belarus, Russia, Belarusian: shared by most bodies of a country
    "qualifier": 0.4,  # district / regional / city court: tells bodies of one kind apart
    "generic": 0.15,  # bank, court, ministry, company: weak evidence
    "weak": 0.1,  # "of the Republic of Belarus"
}
_ROMAN = re.compile(r"^(?=[ivxlc])(c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_DOTTED_INITIALS = re.compile(r"(?<!\w)((?:[^\W\d_]\.\s?){2,})")
_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")


@dataclass(frozen=True)
class Phrase:
    """One written form of a legal form or term: its tokens' spellings, code and kind."""

    code: str
    kind: str
    family: str
    tokens: tuple[frozenset[str], ...]
    text: str


@dataclass(frozen=True)
class Part:
    """One evidence-bearing part of an organisation name."""

    kind: str
    key: str  # the code of a known term, or the normalised token
    text: str  # as written (normalised)

    @property
    def weight(self) -> float:
        """Evidence weight of this part."""
        return WEIGHTS[self.kind]


@dataclass(frozen=True)
class OrgName:
    """An organisation name read into its parts."""

    text: str
    tokens: tuple[str, ...]
    legal_forms: tuple[tuple[str, str], ...]  # (code, family)
    parts: tuple[Part, ...]
    numbers: frozenset[int]


def spellings(token: str) -> frozenset[str]:
    """A normalised token and its folded Latin spellings (every scheme for Cyrillic)."""
    found = {token}
    if is_cyrillic(token):
        found.update(latin_variants(token))
    else:
        folded = fold_ascii(token)
        if folded:
            found.add(folded)
    return frozenset(found)


def prepare(text: str) -> str:
    """Normalised text with dotted initials joined (A.B.C. → abc) and digits split off words."""
    text = unicodedata.normalize("NFKC", text)
    text = _DOTTED_INITIALS.sub(lambda m: re.sub(r"[.\s]", "", m.group(1)) + " ", text)
    return normalise(_LETTER_DIGIT.sub(" ", text))


def _phrase(code: str, kind: str, family: str, form: str) -> Phrase | None:
    tokens = prepare(form).split()
    if not tokens:
        return None
    return Phrase(code, kind, family, tuple(spellings(t) for t in tokens), " ".join(tokens))


@functools.cache
def legal_form_phrases() -> tuple[Phrase, ...]:
    """Every written form of every legal form, longest first."""
    found = []
    for row in read_rows("org_legal_forms.csv"):
        for form in split_cell(row["forms"]):
            phrase = _phrase(row["code"], "legal", row["family"], form)
            if phrase:
                found.append(phrase)
    return tuple(sorted(found, key=lambda p: -len(p.tokens)))


@functools.cache
def term_phrases() -> tuple[Phrase, ...]:
    """Every written form of every known body, generic word and place, longest first."""
    found = []
    for row in read_rows("org_terms.csv"):
        if row["kind"] not in WEIGHTS:
            raise ValueError(f"org_terms.csv: unknown kind {row['kind']!r} for {row['code']}")
        for form in split_cell(row["forms"]):
            phrase = _phrase(row["code"], row["kind"], "", form)
            if phrase:
                found.append(phrase)
    order = {
        "alias": 0,
        "weak": 1,
        "country": 2,
        "descriptor": 3,
        "qualifier": 4,
        "generic": 5,
        "place": 6,
    }
    return tuple(sorted(found, key=lambda p: (-len(p.tokens), order[p.kind])))


@functools.cache
def _terms_by_first() -> dict[str, tuple[Phrase, ...]]:
    """Term phrases indexed by every spelling of their first token."""
    index: dict[str, list[Phrase]] = {}
    for phrase in term_phrases():
        for spelling in phrase.tokens[0]:
            index.setdefault(spelling, []).append(phrase)
    return {k: tuple(v) for k, v in index.items()}


@functools.cache
def _rank() -> dict[Phrase, int]:
    """Position of each term phrase in the longest-first order."""
    return {phrase: i for i, phrase in enumerate(term_phrases())}


@functools.cache
def stopwords() -> frozenset[str]:
    """Connectives, articles and number signs that carry no evidence."""
    return frozenset(normalise(row["word"]) for row in read_rows("org_stopwords.csv"))


def _matches(phrase: Phrase, tokens: list[frozenset[str]], start: int) -> bool:
    """True when the phrase is written at `tokens[start:]`."""
    if start < 0 or start + len(phrase.tokens) > len(tokens):
        return False
    return all(want & tokens[start + i] for i, want in enumerate(phrase.tokens))


def roman_value(token: str) -> int | None:
    """The value of a lower-case roman numeral token (xi → 11), None for other tokens."""
    if not token or not _ROMAN.match(token):
        return None
    total = 0
    for i, ch in enumerate(token):
        value = _ROMAN_VALUES[ch]
        following = _ROMAN_VALUES[token[i + 1]] if i + 1 < len(token) else 0
        total += -value if value < following else value
    return total


def _strip_legal_forms(
    tokens: list[str], spelled: list[frozenset[str]]
) -> tuple[list[str], list[frozenset[str]], list[tuple[str, str]]]:
    """Legal forms read off both ends of a name (ОАО «X», X OJSC, X Holding AG GmbH)."""
    forms: list[tuple[str, str]] = []
    changed = True
    while changed and len(tokens) > 1:
        changed = False
        for phrase in legal_form_phrases():
            n = len(phrase.tokens)
            if n >= len(tokens):
                continue
            if _matches(phrase, spelled, 0):
                tokens, spelled = tokens[n:], spelled[n:]
            elif _matches(phrase, spelled, len(tokens) - n):
                tokens, spelled = tokens[:-n], spelled[:-n]
            else:
                continue
            forms.append((phrase.code, phrase.family))
            changed = True
            break
    return tokens, spelled, forms


@functools.lru_cache(maxsize=50_000)
def read_org_name(text: str) -> OrgName:
    """An organisation name read into legal forms, known terms, numbers and other tokens."""
    all_tokens = prepare(text).split()
    spelled = [spellings(t) for t in all_tokens]
    tokens, spelled, forms = _strip_legal_forms(all_tokens, spelled)
    parts: list[Part] = []
    numbers: set[int] = set()
    stops = stopwords()
    index = _terms_by_first()
    i = 0
    while i < len(tokens):
        candidates = {p for s in spelled[i] for p in index.get(s, ())}
        ordered = sorted(candidates, key=_rank().__getitem__)
        found = next((p for p in ordered if _matches(p, spelled, i)), None)
        if found is not None:
            parts.append(Part(found.kind, found.code, " ".join(tokens[i : i + len(found.tokens)])))
            i += len(found.tokens)
            continue
        token = tokens[i]
        roman = roman_value(token) if i > 0 else None
        if token.isdigit():
            numbers.add(int(token))
        elif roman is not None:
            numbers.add(roman)
        elif token not in stops:
            parts.append(Part("token", token, token))
        i += 1
    return OrgName(text, tuple(all_tokens), tuple(forms), tuple(parts), frozenset(numbers))
