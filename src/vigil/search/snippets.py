"""Snippets with the matched words marked, as plain text parts (the template escapes them)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Characters of context around the first match.
WIDTH = 160


@dataclass(frozen=True)
class Part:
    """A piece of a snippet, and whether it is a matched word."""

    text: str
    marked: bool


def _fold_char(ch: str) -> str:
    """One character case- and accent-folded to one character, so offsets stay the same."""
    decomposed = unicodedata.normalize("NFKD", ch.casefold())
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base[:1] or ch


def snippet(text: str, terms: list[str], width: int = WIDTH) -> list[Part]:
    """A window of ``text`` around its first match of ``terms`` (word prefixes), marked."""
    text = " ".join(text.split())
    if not text:
        return []
    folded = "".join(_fold_char(ch) for ch in text)
    spans: list[tuple[int, int]] = []
    if terms:
        pattern = re.compile(
            r"(?<!\w)(?:"
            + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
            + r")\w*"
        )
        spans = [m.span() for m in pattern.finditer(folded)]
    first = spans[0][0] if spans else 0
    start = max(0, first - width // 3)
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    parts: list[Part] = [Part("…", False)] if start else []
    at = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        if s > at:
            parts.append(Part(text[at:s], False))
        parts.append(Part(text[s:e], True))
        at = e
    if at < end:
        parts.append(Part(text[at:end], False))
    if end < len(text):
        parts.append(Part("…", False))
    return parts
