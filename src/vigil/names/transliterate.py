"""Romanisation of Belarusian and Russian Cyrillic under the schemes that lists actually use."""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

from vigil.names.data_files import read_rows
from vigil.names.normalise import fold_ascii, is_cyrillic

_VOWELS = set("аеёиоуыэюяіў")
# After these the iotated vowels keep their "j"/"y" (word start is handled separately).
_IOTATING = _VOWELS | set("ьъй'")
_SILENT = "-"

#: Schemes in `data/romanisation.csv`; ru_* for Russian, be_* for Belarusian.
SCHEMES: tuple[str, ...] = (
    "ru_bgn",
    "ru_icao",
    "ru_iso9",
    "ru_polish",
    "be_bgn",
    "be_icao",
    "be_2007",
    "be_lacinka",
    "be_ofac",
)
#: Schemes that map every letter to a distinct string and can be reversed.
REVERSIBLE_SCHEMES: tuple[str, ...] = ("ru_iso9",)


@functools.cache
def _rules() -> dict[str, dict[tuple[str, str], str]]:
    """Per scheme: (cyrillic, context) → latin, from `romanisation.csv`."""
    table: dict[str, dict[tuple[str, str], str]] = {scheme: {} for scheme in SCHEMES}
    rows = read_rows("romanisation.csv")
    for row in rows:
        key = (row["cyr"], row["context"])
        fallback = next((row[s] for s in SCHEMES if row[s]), _SILENT)
        for scheme in SCHEMES:
            value = row[scheme]
            if not value and len(row["cyr"]) > 1:
                continue  # a digraph rule this scheme does not have
            table[scheme][key] = value or fallback
    return table


def _romanise_word(word: str, rules: dict[tuple[str, str], str]) -> str:
    """One lower-case Cyrillic word under one scheme's rules."""
    out: list[str] = []
    i = 0
    while i < len(word):
        pair = word[i : i + 2]
        if len(pair) == 2 and i + 2 == len(word) and (pair, "end") in rules:
            value = rules[(pair, "end")]
            out.append("" if value == _SILENT else value)
            i += 2
            continue
        ch = word[i]
        start = i == 0 or word[i - 1] in _IOTATING
        found = rules.get((ch, "start")) if start else None
        value = found if found is not None else rules.get((ch, ""), ch)
        out.append("" if value == _SILENT else value)
        i += 1
    return "".join(out)


def transliterate(text: str, scheme: str) -> str:
    """Text with its Cyrillic words romanised under `scheme`, keeping the original case."""
    rules = _rules()[scheme]
    words: list[str] = []
    for word in text.split(" "):
        if not is_cyrillic(word):
            words.append(word)
            continue
        latin = _romanise_word(word.lower(), rules)
        if word.isupper() and len(word) > 1:
            latin = latin.upper()
        elif word[:1].isupper():
            latin = latin[:1].upper() + latin[1:]
        words.append(latin)
    return " ".join(words)


@functools.cache
def _reverse_map(scheme: str) -> dict[str, str]:
    """Latin → Cyrillic for a reversible scheme."""
    if scheme not in REVERSIBLE_SCHEMES:
        raise ValueError(f"scheme {scheme!r} is not reversible")
    reverse: dict[str, str] = {}
    for (cyr, context), latin in _rules()[scheme].items():
        if context == "" and len(cyr) == 1 and latin != _SILENT:
            reverse.setdefault(latin, cyr)  # the earlier (Russian) letter wins: г over ґ
    return reverse


def detransliterate(text: str, scheme: str) -> str:
    """Cyrillic from a lower-case text romanised under a reversible scheme."""
    reverse = _reverse_map(scheme)
    text = unicodedata.normalize("NFC", text)
    return "".join(reverse.get(ch, ch) for ch in text)


def romanisations(token: str) -> dict[str, str]:
    """A lower-case Cyrillic token romanised under every scheme; a Latin token unchanged."""
    if not is_cyrillic(token):
        return {"latin": token}
    rules = _rules()
    return {scheme: _romanise_word(token, rules[scheme]) for scheme in SCHEMES}


@functools.cache
def latin_variants(token: str) -> dict[str, str]:
    """Folded ASCII spellings of a normalised token → the first scheme that gives each."""
    variants: dict[str, str] = {}
    for scheme, latin in romanisations(token).items():
        variants.setdefault(fold_ascii(latin), scheme)
    icu_latin = icu_romanise(token)
    if icu_latin:
        variants.setdefault(fold_ascii(icu_latin), "icu")
    variants.pop("", None)
    return variants


@functools.cache
def _icu_transliterator() -> Any:
    """ICU's Any-Latin transform when PyICU is installed; None otherwise."""
    try:
        import icu  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        return None
    return icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")


def icu_romanise(token: str) -> str:
    """ICU's romanisation of a token in a script the data files do not cover ('' if none)."""
    if is_cyrillic(token) or token.isascii():
        return ""
    transliterator = _icu_transliterator()
    if transliterator is None:
        return ""
    return str(transliterator.transliterate(token))
