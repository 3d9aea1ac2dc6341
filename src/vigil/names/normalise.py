"""Unicode normalisation of names: NFKC, case folding, punctuation and whitespace."""

from __future__ import annotations

import functools
import re
import unicodedata

from vigil.names.homoglyphs import repair_homoglyphs

# Apostrophes matter in Belarusian (Дар'я) but are written in many ways; they carry no sound.
_APOSTROPHES = "'’ʼ`´ʻ‘′"
_PUNCTUATION = re.compile(r"[^\w\s]|_", re.UNICODE)
_SPACES = re.compile(r"\s+")
_CYRILLIC_APOSTROPHE = re.compile(r"(?<=[\u0400-\u04ff])[" + _APOSTROPHES + r"](?=[\u0400-\u04ff])")
_CYRILLIC = re.compile(r"[\u0400-\u04ff\u0500-\u052f]")


@functools.lru_cache(maxsize=200_000)
def normalise(text: str) -> str:
    """Case-folded NFKC name with homoglyphs repaired, punctuation as spaces, single spaces."""
    text = unicodedata.normalize("NFKC", text)
    # Repair before folding (Latin I in a Cyrillic word) and after it (folding makes new pairs).
    text = repair_homoglyphs(repair_homoglyphs(text).casefold())
    # In Cyrillic an apostrophe separates a consonant from an iotated vowel, as ь does.
    text = _CYRILLIC_APOSTROPHE.sub("ь", text)
    text = text.translate({ord(ch): None for ch in _APOSTROPHES})
    text = _PUNCTUATION.sub(" ", text)
    text = unicodedata.normalize("NFKC", text)
    return _SPACES.sub(" ", text).strip()


def is_cyrillic(token: str) -> bool:
    """True when the token holds any Cyrillic letter."""
    return bool(_CYRILLIC.search(token))


@functools.lru_cache(maxsize=200_000)
def fold_ascii(text: str) -> str:
    """Lower-case ASCII letters only, diacritics dropped (ł → l, ß → ss)."""
    text = text.casefold().replace("ł", "l").replace("ß", "ss").replace("ø", "o")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if "a" <= ch <= "z")
