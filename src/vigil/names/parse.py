"""Reading the structure of a written name: surname, given names, patronymic, initials."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from vigil.names.data_files import read_rows
from vigil.names.given_names import given_name_ids, loose
from vigil.names.homoglyphs import repair_homoglyphs
from vigil.names.normalise import is_cyrillic, normalise

_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
# Two Cyrillic words run together by a typist: "ЕвгенийАлексеевич".
_RUN_TOGETHER = re.compile(r"(?<=[а-яёіў]{3})(?=[А-ЯЁІЎ][а-яёіў]{2})")
_INITIALS = re.compile(r"^(?:[^\W\d_]\.)+[^\W\d_]?\.?$|^[^\W\d_]$", re.UNICODE)


@dataclass(frozen=True)
class ParsedName:
    """A name split into roles; every token is normalised."""

    surnames: tuple[str, ...]
    given: tuple[str, ...]
    patronymic: str
    initials: tuple[str, ...]
    certain: bool


@functools.cache
def _patronymic_suffixes() -> tuple[tuple[str, str], ...]:
    """(suffix, gender) pairs from `patronymic_suffixes.csv`, longest first, in loose Latin."""
    pairs = set()
    for row in read_rows("patronymic_suffixes.csv"):
        suffix = normalise(row["suffix"]).replace(" ", "")
        pairs.add((suffix if row["script"] == "cyrl" else loose(suffix), row["gender"]))
    return tuple(sorted(pairs, key=lambda p: len(p[0]), reverse=True))


@functools.lru_cache(maxsize=200_000)
def patronymic_split(token: str) -> tuple[str, str] | None:
    """(stem, gender) when a normalised token looks like a patronymic, else None."""
    if len(token) < 6:
        return None
    form = token if is_cyrillic(token) else loose(token)
    for suffix, gender in _patronymic_suffixes():
        if len(suffix) <= 3 and not form.endswith(("ьич", "ьич", "lich", "ich")):
            continue
        if form.endswith(suffix) and len(form) - len(suffix) >= 2:
            return form[: -len(suffix)], gender
    return None


def _split_initials(raw: str) -> list[str]:
    """The letters of an initials token such as 'М.С.'."""
    return [normalise(ch) for ch in raw if unicodedata.category(ch).startswith("L")]


def _is_upper_word(raw: str) -> bool:
    """True for an all-capitals word of two letters or more."""
    return raw.isupper() and sum(map(str.isalpha, raw)) > 1


def parse_name(text: str) -> ParsedName:
    """Roles of the tokens of one name; parenthesised variants are dropped."""
    text = repair_homoglyphs(unicodedata.normalize("NFKC", _PARENS.sub(" ", text)))
    text = _RUN_TOGETHER.sub(" ", text)
    head, comma, tail = text.partition(",")
    surname_first = (
        bool(comma)
        and len(head.split()) == 1
        and bool(tail.strip())
        and (_is_upper_word(head) or not given_name_ids(head))
    )
    raw_tokens = (head + " " + tail).replace("-", " ").split()
    initials: list[str] = []
    words: list[str] = []
    upper: list[bool] = []
    for raw in raw_tokens:
        if _INITIALS.match(raw.strip(",;")):
            initials.extend(_split_initials(raw))
            continue
        norm = normalise(raw).replace(" ", "")
        if norm:
            words.append(norm)
            upper.append(_is_upper_word(raw))
    surnames: list[str] = []
    given: list[str] = []
    patronymic = ""
    rest: list[int] = []
    certain = True
    if any(upper) and not all(upper):
        surnames = [w for w, up in zip(words, upper, strict=True) if up]
        rest = [i for i, up in enumerate(upper) if not up]
    elif surname_first and words:
        surnames.append(words[0])
        rest = list(range(1, len(words)))
    else:
        rest = list(range(len(words)))
    # A lone word is the surname, whatever it ends in (Lahunovich A.A.), and so is the second of
    # two words (Alena Tsikhanovich) unless capitals or a comma already named the surname.
    enough = len(rest) > 2 or (len(rest) == 2 and bool(surnames or surname_first))
    candidates = [
        i for i in rest if enough and patronymic_split(words[i]) and not given_name_ids(words[i])
    ]
    # A patronymic follows the given name; a surname such as Miklashevich only looks like one.
    after_given = [i for i in candidates if i - 1 in rest and given_name_ids(words[i - 1])]
    if after_given or candidates:
        patronymic = words[(after_given or candidates)[0]]
    remaining = [i for i in rest if words[i] != patronymic or not patronymic]
    if surnames or surname_first:
        given = [words[i] for i in remaining]
    else:
        known = [i for i in remaining if given_name_ids(words[i])]
        if initials and remaining:
            surnames = [words[i] for i in remaining]
        elif known and len(remaining) > 1:
            first = known[0]
            given = [words[first]]
            surnames = [words[i] for i in remaining if i != first]
        elif len(remaining) > 1:
            given = [words[remaining[0]]]
            surnames = [words[i] for i in remaining[1:]]
            certain = False
        else:
            surnames = [words[i] for i in remaining]
            certain = len(remaining) == 1 and not initials
    return ParsedName(tuple(surnames), tuple(given), patronymic, tuple(initials), certain)
