"""Script-independent sound skeletons of name tokens (consonant classes from `skeleton.csv`)."""

from __future__ import annotations

import functools
import re

from vigil.names.data_files import read_rows
from vigil.names.normalise import is_cyrillic


@functools.cache
def _patterns() -> dict[str, tuple[re.Pattern[str], dict[str, str]]]:
    """Per script: one alternation of the patterns (longest first) and pattern → class."""
    by_script: dict[str, dict[str, str]] = {"latn": {}, "cyrl": {}}
    for row in read_rows("skeleton.csv"):
        by_script[row["script"]][row["pattern"]] = row["class"]
    compiled = {}
    for script, classes in by_script.items():
        ordered = sorted(classes, key=len, reverse=True)
        compiled[script] = (re.compile("|".join(map(re.escape, ordered))), classes)
    return compiled


_RUNS = re.compile(r"(.)\1+")


@functools.cache
def _sound_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """One alternation of Latin consonant and vowel patterns (longest first) and their classes."""
    classes = {
        row["pattern"]: row["class"] for row in read_rows("skeleton.csv") if row["script"] == "latn"
    }
    classes.update((row["pattern"], row["class"]) for row in read_rows("sound_vowels.csv"))
    ordered = sorted(classes, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered))), classes


@functools.lru_cache(maxsize=200_000)
def sound(latin: str) -> str:
    """Consonant classes and folded vowels of a Latin spelling ('kovalev' → 'KaLiu' style)."""
    pattern, classes = _sound_pattern()
    return _RUNS.sub(r"\1", "".join(classes[m.group(0)] for m in pattern.finditer(latin)))


@functools.cache
def skeleton(token: str) -> str:
    """Consonant classes of a normalised token; vowels, glides and в/ў/v/w are dropped."""
    pattern, classes = _patterns()["cyrl" if is_cyrillic(token) else "latn"]
    letters = "".join(classes[m.group(0)] for m in pattern.finditer(token))
    return _RUNS.sub(r"\1", letters)
