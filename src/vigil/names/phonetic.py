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


@functools.cache
def skeleton(token: str) -> str:
    """Consonant classes of a normalised token; vowels, glides and в/ў/v/w are dropped."""
    pattern, classes = _patterns()["cyrl" if is_cyrillic(token) else "latn"]
    letters = "".join(classes[m.group(0)] for m in pattern.finditer(token))
    return re.sub(r"(.)\1+", r"\1", letters)
