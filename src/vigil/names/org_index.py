"""An index of organisation names for screening: blocking keys, then the organisation scorer.

Comparing one name with every listed entity is quadratic on a list of thousands (OFAC); the
index first finds the entities sharing a *block key* with the query, then scores only those with
:func:`vigil.names.organisations.compare_organisations`. Block keys come from
:func:`vigil.names.org_terms.read_org_name`: the code of a known body (``kgb``), four-letter
prefixes of every Latin spelling of a distinctive word (``bela`` for Беларуськалий and
Belaruskali) and their first consonants (``vd`` for VAD and WAAD), and initials (BPC ~
Belarusian Potash Company). Keys shared by many entries (generic words, a common prefix) are
used only when a name has no rarer key.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from vigil.names.index import Candidate
from vigil.names.org_terms import OrgName, read_org_name, spellings
from vigil.names.organisations import _initials, compare_organisations
from vigil.names.thresholds import OPERATING_THRESHOLD

#: Length of the prefix of a word's Latin spelling used as its block key.
PREFIX = 4
#: Consonants of a word's skeleton used as a second block key (a vowel or w/v apart).
SKELETON = 3
#: Kinds of name part whose keys are distinctive enough to block on.
DISTINCTIVE = ("token", "alias", "descriptor")
#: A key held by more entries than this share of the index (and at least ``MIN_CAP``) is
#: used only when a name has no rarer key.
COMMON_SHARE = 0.05
MIN_CAP = 50


@dataclass(frozen=True)
class OrgRecord:
    """One organisation to index: its id and its name forms."""

    entity_id: str
    names: Sequence[str]


_SOUNDS = str.maketrans({"w": "v", "c": "k", "q": "k", "z": "s", "x": "ks", "j": "i", "y": "i"})


def _skeleton(letters: str) -> str:
    """The first consonants of a Latin spelling, alike sounds merged (vad, waad → vd)."""
    sounds = letters.translate(_SOUNDS)
    consonants = [ch for ch in sounds if ch not in "aeiouh'"]
    merged = [ch for i, ch in enumerate(consonants) if i == 0 or ch != consonants[i - 1]]
    return "".join(merged[:SKELETON])


def _prefixes(token: str) -> set[str]:
    """Block keys of a word: prefixes of its Latin spellings and their consonant skeletons."""
    found = set()
    for spelling in spellings(token):
        letters = "".join(ch for ch in spelling if ch.isalnum())
        if letters.isascii() and letters:
            found.add("p:" + letters[:PREFIX])
            skeleton = _skeleton(letters)
            if len(skeleton) >= 2:
                found.add("s:" + skeleton)
    return found


def block_keys(name: OrgName) -> tuple[set[str], set[str]]:
    """(distinctive keys, other keys) of a read organisation name."""
    strong: set[str] = set()
    weak: set[str] = set()
    for part in name.parts:
        if part.kind == "token":
            strong |= _prefixes(part.key)
            if 2 <= len(part.key) <= 6 and len(name.parts) == 1:
                strong |= {"i:" + k for k in {part.key, *spellings(part.key)} if k.isascii()}
        elif part.kind in DISTINCTIVE:
            strong.add(f"c:{part.key}")
        else:
            weak.add(f"c:{part.key}")
    strong |= {"i:" + i for i in _initials(name) if i.isascii() and len(i) >= 2}
    return strong, weak


class OrgIndex:
    """Organisation names of a list's entities, searched by block keys and scored in full."""

    def __init__(self, records: Iterable[OrgRecord]) -> None:
        self.records = list(records)
        self._forms: list[tuple[int, str]] = []
        self._postings: dict[str, set[int]] = defaultdict(set)
        for r, record in enumerate(self.records):
            for text in dict.fromkeys(n for n in record.names if n and n.strip()):
                form = len(self._forms)
                self._forms.append((r, text))
                strong, weak = block_keys(read_org_name(text))
                for key in strong | weak:
                    self._postings[key].add(form)
        self._cap = max(MIN_CAP, int(COMMON_SHARE * len(self._forms)))

    def __len__(self) -> int:
        return len(self.records)

    def _block(self, query: OrgName) -> set[int]:
        """The forms sharing a usable key with the query."""
        strong, weak = block_keys(query)
        found: set[int] = set()
        common: list[set[int]] = []
        for key in strong:
            posting = self._postings.get(key)
            if not posting:
                continue
            if len(posting) <= self._cap:
                found |= posting
            else:
                common.append(posting)
        if found:
            return found
        # No rare key: the rarest common one, then the weak keys together.
        if common:
            return min(common, key=len)
        for key in weak:
            found |= self._postings.get(key, set())
        return found

    def search(
        self, query: str, *, limit: int = 10, threshold: float = OPERATING_THRESHOLD
    ) -> list[Candidate]:
        """Entities whose best-matching name scores at least ``threshold``, best first."""
        best: dict[int, Candidate] = {}
        for form in self._block(read_org_name(query)):
            r, text = self._forms[form]
            result = compare_organisations(query, text)
            if result.score < threshold:
                continue
            current = best.get(r)
            if current is None or result.score > current.score:
                best[r] = Candidate(
                    self.records[r].entity_id, text, result.score, result.explanation
                )
        found = sorted(best.values(), key=lambda c: (-c.score, c.entity_id))
        return found[:limit]
