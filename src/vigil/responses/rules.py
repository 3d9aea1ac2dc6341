"""The rule table behind coding suggestions (package data) and the text patterns rules look for.

Pure Python: no Django import, so the patterns can be tested alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

RIGHT_NAMES = {
    "expression": "freedom of expression",
    "assembly": "the right of peaceful assembly",
    "association": "freedom of association",
}
_DURATIONS = (
    re.compile(
        r"\b(?:trial|hearing)\b[^.]{0,60}?\b(?P<n>\d{1,3})\s*(?:-\s*)?(?:minutes?|mins?)\b",
        re.IGNORECASE,
    ),
    re.compile(r"\b(?P<n>\d{1,3})\s*-?\s*minutes?\s+(?:long\s+)?(?:trial|hearing)\b", re.I),
)
_MOTIONS = (
    re.compile(
        r"\b(?:all|every|each)\b[^.]{0,60}?\b(?:motions?|petitions?|requests?)\b[^.]{0,40}?"
        r"\b(?:denied|refused|rejected|dismissed)\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:motions?|petitions?)\b[^.]{0,30}?\b(?:all|every one)\b[^.]{0,15}?"
        r"\b(?:denied|refused|rejected|dismissed)\b",
        re.IGNORECASE,
    ),
)
_HUMAN_RIGHTS_WORK = re.compile(
    r"\bfor (?:his |her |their )?(?:defending human rights|human rights (?:work|activities)"
    r"|(?:work|activities) (?:as an? |in )?(?:human rights|defender))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SpeechArticle:
    article: str
    right: str
    title: str


@dataclass(frozen=True)
class RuleTable:
    speech_articles: dict[str, SpeechArticle]
    rights: dict[str, tuple[str, ...]]
    rules: dict[str, dict[str, Any]]

    def standards(self, rule: str) -> tuple[str, ...]:
        return tuple(self.rules[rule]["standards"])


@cache
def rule_table() -> RuleTable:
    """The shipped rule table (``data/coding_rules.yaml``)."""
    text = resources.files("vigil.responses.data").joinpath("coding_rules.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    articles = {
        str(a["article"]): SpeechArticle(str(a["article"]), a["right"], a["title"])
        for a in raw["speech_articles"]
    }
    unknown = {a.right for a in articles.values()} - set(raw["rights"])
    if unknown:
        raise ValueError(f"coding_rules.yaml: rights without standards: {sorted(unknown)}")
    rights = {k: tuple(v) for k, v in raw["rights"].items()}
    return RuleTable(articles, rights, raw["rules"])


def trial_minutes(text: str) -> int | None:
    """The length of a trial in minutes, when ``text`` states one."""
    for pattern in _DURATIONS:
        match = pattern.search(text)
        if match:
            return int(match.group("n"))
    return None


def every_motion_refused(text: str) -> bool:
    """Whether ``text`` says that all the defence's motions were refused."""
    return any(p.search(text) for p in _MOTIONS)


def says_for_human_rights_work(text: str) -> bool:
    """Whether ``text`` ties a measure to the person's human rights work."""
    return bool(_HUMAN_RIGHTS_WORK.search(text))
