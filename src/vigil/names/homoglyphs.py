"""Repair of Latin letters hidden inside Cyrillic words, and Cyrillic inside Latin ones."""

from __future__ import annotations

import functools
import re
import unicodedata

from vigil.names.data_files import read_rows

_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*", re.UNICODE)
_HAS_CYRILLIC = re.compile(r"[\u0400-\u052f]")
_HAS_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


@functools.cache
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    """Latin→Cyrillic and Cyrillic→Latin maps from `homoglyphs.csv`."""
    to_cyrillic: dict[str, str] = {}
    to_latin: dict[str, str] = {}
    for row in read_rows("homoglyphs.csv"):
        to_cyrillic[row["latin"]] = row["cyrillic"]
        to_latin.setdefault(row["cyrillic"], row["latin"])
    # Cyrillic и looks like no Latin letter, but і does; both sides are reviewable in the file.
    return to_cyrillic, to_latin


def _script(ch: str) -> str:
    """'cyrl', 'latn' or '' for one character."""
    name = unicodedata.name(ch, "")
    if name.startswith("CYRILLIC"):
        return "cyrl"
    if name.startswith("LATIN"):
        return "latn"
    return ""


def _repair_word(word: str) -> str:
    """One word rewritten in a single script where its odd letters are look-alikes."""
    to_cyrillic, to_latin = _tables()
    scripts = [_script(ch) for ch in word]
    latin = [ch for ch, s in zip(word, scripts, strict=True) if s == "latn"]
    cyrillic = [ch for ch, s in zip(word, scripts, strict=True) if s == "cyrl"]
    if not latin or not cyrillic:
        return word
    if all(ch in to_cyrillic for ch in latin) and (
        len(cyrillic) >= len(latin) or not all(ch in to_latin for ch in cyrillic)
    ):
        mapping, foreign = to_cyrillic, "latn"
    elif all(ch in to_latin for ch in cyrillic):
        mapping, foreign = to_latin, "cyrl"
    else:
        mapping, foreign = (
            (to_cyrillic, "latn")
            if len(cyrillic) >= len(latin)
            else (
                to_latin,
                "cyrl",
            )
        )
    return "".join(
        mapping.get(ch, ch) if s == foreign else ch for ch, s in zip(word, scripts, strict=True)
    )


def repair_homoglyphs(text: str) -> str:
    """Text whose mixed-script words are rewritten in one script (СIВАКАЎ → СІВАКАЎ)."""
    if not _HAS_CYRILLIC.search(text) or not _HAS_LATIN.search(text):
        return text
    return _WORD.sub(lambda m: _repair_word(m.group(0)), text)
