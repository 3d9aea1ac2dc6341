"""Person names of any origin, made ready for the parser: scripts, honorifics, particles, numbers.

The parser and scorer were written for East-Slavic names. This step runs before them and only
changes a name that has something they would misread: a script other than Latin or Cyrillic
(romanised through ICU's Any-Latin, or the Khmer table), an honorific or title in front
("Mr.", "Dr.", "Sheikh", "господин"), Arabic particles (al-, bin, ibn, abu), and numbers or
generational suffixes ("Henry VIII", "Jr."), which must agree rather than be compared as letters.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from vigil.names.data_files import read_rows
from vigil.names.normalise import fold_ascii

_ROMAN = re.compile(r"^(?=[IVXLC]{2,}$)C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ORDINAL = re.compile(r"^(\d{1,3})(?:st|nd|rd|th|\.)?$", re.IGNORECASE)
#: Generational suffixes and the value they stand for; they must agree like numbers.
_GENERATIONAL = {"jr": "jr", "junior": "jr", "sr": "sr", "senior": "sr"}
#: Characters of the Khmer script that carry no sound of their own (signs, the subscript mark).
_KHMER_SILENT = {chr(c) for c in (*range(0x17C9, 0x17D2), 0x17D2, 0x17D3, 0x17DD)}
_KHMER = re.compile(r"[\u1780-\u17ff]")
_EDGE_PUNCTUATION = ".,;:()[]"
# Two Latin words run together by a typist or a system: "VladimirPutin".
_CAMEL = re.compile(r"(?<=[a-z]{3})(?=[A-Z][a-z]{2})")
#: Shortest run of letters that counts as a name written together.
MIN_JOINED = 6


@dataclass(frozen=True)
class PreparedName:
    """A person's name ready for `parse_name`, with what was taken out of it."""

    text: str
    gender: str = ""  # from an honorific (Mr → m, Mrs → f), '' when none says
    family: str = ""  # an Arabic family or tribal name written with its article (al-Tamimi)
    numbers: tuple[str, ...] = ()  # regnal numbers, ordinals, Jr./Sr.
    notes: tuple[str, ...] = ()
    given_first: bool = False  # particles (bin, al-) mark a given name first, then the lineage
    joined: str = ""  # the letters run together (see `compact`)


@functools.cache
def _honorifics() -> dict[str, str]:
    """Folded honorific → the gender it implies ('' for none), from `honorifics.csv`."""
    return {row["form"].casefold(): row["gender"] for row in read_rows("honorifics.csv")}


@functools.cache
def _particles() -> dict[str, str]:
    """Folded particle → its kind (article, nasab, kunya), from `name_particles.csv`."""
    return {row["form"].casefold(): row["kind"] for row in read_rows("name_particles.csv")}


@functools.cache
def _khmer_letters() -> dict[str, str]:
    """Khmer letter → its Latin spelling (UNGEGN, simplified), from `khmer.csv`."""
    return {row["letter"]: row["latin"] for row in read_rows("khmer.csv")}


def _is_foreign_letter(ch: str) -> bool:
    """True for a letter of a script other than Latin and Cyrillic."""
    if not ch.isalpha() or ch.isascii():
        return False
    name = unicodedata.name(ch, "")
    return not name.startswith(("LATIN", "CYRILLIC"))


def _romanise_khmer(text: str) -> str:
    """Khmer letters spelt in Latin letter by letter; other characters kept."""
    letters = _khmer_letters()
    return "".join(
        "" if ch in _KHMER_SILENT else letters.get(ch, ch) if _KHMER.match(ch) else ch
        for ch in text
    )


@functools.cache
def _any_latin() -> object | None:
    """ICU's Any-Latin; Latin-ASCII transform, or None without PyICU."""
    try:
        import icu  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        return None
    transform: object = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")
    return transform


def romanise_other_scripts(text: str) -> tuple[str, str]:
    """(text, note): a name in a script other than Latin or Cyrillic spelt in Latin letters."""
    if not any(_is_foreign_letter(ch) for ch in text):
        return text, ""
    if _KHMER.search(text):
        text = _romanise_khmer(text)
        if not any(_is_foreign_letter(ch) for ch in text):
            return text, "romanised from Khmer"
    transform = _any_latin()
    if transform is None:
        return text, ""
    return str(transform.transliterate(text)), "romanised by ICU Any-Latin"  # type: ignore[attr-defined]


def _roman_value(token: str) -> int:
    """The value of an upper-case Roman numeral of two letters or more (0 if it is none)."""
    if not _ROMAN.match(token):
        return 0
    total = 0
    for here, after in zip(token, [*token[1:], ""], strict=True):
        value = _ROMAN_VALUES[here]
        total += -value if after and _ROMAN_VALUES[after] > value else value
    return total


def _number_of(raw: str) -> str:
    """'8' for VIII or 8th, 'jr' for Jr., '' when the token is a name."""
    token = raw.strip(_EDGE_PUNCTUATION)
    if token.casefold() in _GENERATIONAL:
        return _GENERATIONAL[token.casefold()]
    if value := _roman_value(token):
        return str(value)
    if match := _ORDINAL.match(token):
        return str(int(match.group(1)))
    return ""


def _fold(raw: str) -> str:
    """A token folded for looking it up in the tables."""
    return unicodedata.normalize("NFKC", raw).strip(_EDGE_PUNCTUATION).casefold()


@functools.lru_cache(maxsize=100_000)
def prepare_person_name(text: str) -> PreparedName:
    """The name with honorifics, particles and numbers taken out and other scripts romanised."""
    notes: list[str] = []
    text, note = romanise_other_scripts(unicodedata.normalize("NFKC", text))
    if note:
        notes.append(note)
    split = _CAMEL.sub(" ", text)
    if split != text:
        notes.append("words written together split")
    tokens = [t for t in re.split(r"[\s\-‐‑–]+", split) if t.strip(_EDGE_PUNCTUATION)]
    gender = ""
    honorifics = _honorifics()
    # An honorific opens the name, or the given names after "SURNAME," (MOHAMMAD, Haji Baz).
    starts = [0] + [i + 1 for i, t in enumerate(tokens) if t.endswith(",")]
    for start in reversed(starts):
        while _is_honorific(tokens, start):
            gender = gender or honorifics[_fold(tokens[start])]
            notes.append(f"honorific {_fold(tokens[start])} set aside")
            tokens.pop(start)
    words_left = sum(len(t.strip(_EDGE_PUNCTUATION)) > 1 and not _number_of(t) for t in tokens)
    numbers = []
    kept = []
    for i, raw in enumerate(tokens):
        number = _number_of(raw) if i > 0 else ""
        if number.isdigit() and words_left < 2 and not _roman_value(raw.strip(_EDGE_PUNCTUATION)):
            number = ""  # MSN 164, P-533: the number is the name
        if number:
            numbers.append(number)
        else:
            kept.append(raw)
    if numbers:
        notes.append("numbers " + ", ".join(numbers) + " must agree")
    words, family, marked = _read_particles(kept)
    if family:
        notes.append(f"family name {family}")
    if not words:
        return PreparedName(text, gender, "", tuple(numbers), tuple(notes), joined=compact(text))
    prepared = " ".join(words)
    # A comma or a surname in capitals already says which word is which: keep that reading.
    marked_order = "," in prepared or any(
        w.isupper() and len(w) > 1 for w in words
    ) and not all(w.isupper() for w in words)
    return PreparedName(
        prepared,
        gender,
        family,
        tuple(numbers),
        tuple(notes),
        marked and len(words) > 1 and not marked_order,
        compact(prepared),
    )


def _read_particles(tokens: list[str]) -> tuple[list[str], str, bool]:
    """Words without Arabic particles (abu joined to its word), the family name if an article
    marks it, and whether an article or "son of" marked the name's structure at all."""
    particles = _particles()
    words: list[str] = []
    family = ""
    marked = False
    i = 0
    while i < len(tokens):
        raw = tokens[i]
        kind = particles.get(_fold(raw), "")
        has_next = i + 1 < len(tokens)
        after = particles.get(_fold(tokens[i + 1]), "") if has_next else ""
        step = 2 if after == "article" and i + 2 < len(tokens) else 1
        if kind in ("compound", "kunya") and has_next and _joinable(tokens[i : i + 1 + step]):
            # Abd al-Aziz, Abdel Fattah, Abu Bakr: one name, whatever article stands between.
            words.append("".join(t.strip("'ʼ") for t in tokens[i : i + 1 + step]))
            i += 1 + step
            continue
        if kind == "article" and after == "compound_tail" and words:
            if _joinable([words[-1], *tokens[i : i + 2]]):
                words[-1] += "".join(tokens[i : i + 2])  # Nur al-Din, Saif al-Islam
                i += 2
                continue
        if kind == "article" and has_next:
            family = fold_ascii(tokens[i + 1]) or _fold(tokens[i + 1])
            marked = True
        elif kind == "nasab" and has_next and words:
            marked = True  # "son of": the father's name that follows stays, the connector goes
        else:
            words.append(raw)
        i += 1
    return words, family, marked


def _is_honorific(tokens: list[str], at: int) -> bool:
    """True when the word at `at` is an honorific and two name words follow it; never a word
    marked as the surname (by a comma after it, or capitals in a mixed-case name)."""
    if at > len(tokens) - (3 if at == 0 else 2):
        return False
    word = tokens[at]
    mixed = not all(t.isupper() for t in tokens)
    if word.endswith(",") or (word.isupper() and len(word) > 2 and mixed):
        return False
    return _fold(word) in _honorifics()


def _joinable(tokens: list[str]) -> bool:
    """True when words may be read as one name: no comma between, all capitals or none."""
    if any(t.endswith(",") for t in tokens[:-1]):
        return False
    upper = {t.isupper() for t in tokens if len(t) > 2}
    return len(upper) <= 1


def compact(text: str) -> str:
    """The letters of a Latin-script name run together in ASCII ('' for other scripts), to see
    names written together or apart."""
    letters = re.sub(r"[\W_\d]+", "", text)
    folded = fold_ascii(letters)
    return folded if len(folded) >= len(letters) else ""
