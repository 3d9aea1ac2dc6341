"""A fast screening index: names of many entities, searched by any spelling in any script."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from vigil.names.compare import Features, compare_features, features
from vigil.names.evidence import BirthInput
from vigil.names.thresholds import OPERATING_THRESHOLD
from vigil.names.tokens import TokenInfo

#: Blocked candidates fully scored per query; the rest are ranked out by rapidfuzz.
SHORTLIST = 24
#: Weight of a shared surname key against a shared given-name or patronymic key.
SURNAME_KEY_WEIGHT = 2.0

_PAREN = re.compile(r"\(([^)]*)\)")


@dataclass(frozen=True)
class NameRecord:
    """One entity to index: its id, several name forms, optional birth date and gender."""

    entity_id: str
    names: Sequence[str]
    birth: BirthInput = None
    gender: str | None = None


@dataclass(frozen=True)
class Candidate:
    """One entity found by a search, with the form that matched best."""

    entity_id: str
    form: str
    score: float
    explanation: str


@dataclass
class _Form:
    """One indexed name form."""

    record: int
    text: str
    features: Features
    keys_text: str = field(default="")


def expand_forms(name: str) -> list[str]:
    """A written name and the variants it carries: 'A B SIVAKAU (SIVAKOU)' gives both forms."""
    forms = [name]
    base = _PAREN.sub(" ", name)
    base_tokens = base.split()
    for group in _PAREN.finditer(name):
        before = _PAREN.sub(" ", name[: group.start()]).split()
        after = _PAREN.sub(" ", name[group.end() :]).split()
        for alternative in group.group(1).split(","):
            alt = alternative.split()
            if not alt:
                continue
            if len(alt) >= len(base_tokens) - 1:
                forms.append(" ".join(alt))
            elif len(alt) <= len(before):
                forms.append(" ".join(before[: len(before) - len(alt)] + alt + after))
    head, comma, tail = base.rpartition(",")
    tail_tokens = tail.split()
    head_tokens = head.split()
    if comma and len(tail_tokens) == 1 and len(head_tokens) >= 2 and tail_tokens[0].isupper():
        forms.append(" ".join(head_tokens))
        forms.append(" ".join(head_tokens[:-1] + tail_tokens))
    seen: dict[str, None] = {}
    for form in forms:
        seen.setdefault(" ".join(form.split()), None)
    return list(seen)


def _deletions(key: str) -> set[str]:
    """A skeleton and every string made by deleting one of its letters."""
    return {key} | {key[:i] + key[i + 1 :] for i in range(len(key))} if len(key) > 2 else {key}


def _surname_keys(token: TokenInfo) -> set[str]:
    """Blocking keys of a surname token: its skeleton within one edit."""
    return {"s:" + k for k in _deletions(token.skeleton)} if token.skeleton else {"n:" + token.norm}


def _other_keys(token: TokenInfo, prefix: str) -> set[str]:
    """Blocking keys of a given name or patronymic: table ids, else the skeleton."""
    ids = token.given_ids or token.patronymic_ids
    if ids:
        return {prefix + i for i in ids}
    return {prefix + "k:" + token.skeleton} if token.skeleton else set()


def blocking_keys(f: Features) -> dict[str, float]:
    """Weighted blocking keys of a featurised name."""
    keys: dict[str, float] = {}
    for token in f.surnames:
        for key in _surname_keys(token):
            keys[key] = SURNAME_KEY_WEIGHT
    for token in f.given:
        for key in _other_keys(token, "g:") | {"s:" + token.skeleton}:
            keys.setdefault(key, 1.0)
    if f.patronymic:
        for key in _other_keys(f.patronymic, "p:"):
            keys.setdefault(key, 1.0)
    return keys


def _keys_text(f: Features) -> str:
    """Space-joined skeletons of a name, what rapidfuzz ranks blocked candidates by."""
    tokens = [*f.surnames, *f.given, *([f.patronymic] if f.patronymic else [])]
    return " ".join(t.skeleton or t.norm for t in tokens)


class NameIndex:
    """Names of many entities, searchable by any spelling, order, initials or script."""

    def __init__(self, records: Iterable[NameRecord]) -> None:
        """Index every name form of every record."""
        self.records: list[NameRecord] = []
        self._forms: list[_Form] = []
        self._postings: dict[str, list[int]] = defaultdict(list)
        for record in records:
            number = len(self.records)
            self.records.append(record)
            for name in record.names:
                for text in expand_forms(name):
                    f = features(text)
                    if not f.surnames:
                        continue
                    form_id = len(self._forms)
                    self._forms.append(_Form(number, text, f, _keys_text(f)))
                    for key in blocking_keys(f):
                        self._postings[key].append(form_id)

    def __len__(self) -> int:
        """Number of indexed name forms."""
        return len(self._forms)

    def _shortlist(self, query: Features) -> list[int]:
        """Form ids sharing blocking keys with the query, best first, at most SHORTLIST."""
        weights: dict[int, float] = defaultdict(float)
        for key, weight in blocking_keys(query).items():
            for form_id in self._postings.get(key, ()):
                weights[form_id] += weight
        if len(weights) <= SHORTLIST:
            return list(weights)
        ranked = sorted(weights, key=weights.__getitem__, reverse=True)[: SHORTLIST * 4]
        choices = {form_id: self._forms[form_id].keys_text for form_id in ranked}
        best = process.extract(
            _keys_text(query), choices, scorer=fuzz.token_set_ratio, limit=SHORTLIST
        )
        return [form_id for _, _, form_id in best]

    def search(
        self,
        query: str,
        *,
        birth: BirthInput = None,
        gender: str | None = None,
        limit: int = 10,
        threshold: float = OPERATING_THRESHOLD,
    ) -> list[Candidate]:
        """Entities whose best-matching form scores at least `threshold`, best first."""
        q = features(query)
        best: dict[int, Candidate] = {}
        for form_id in self._shortlist(q):
            form = self._forms[form_id]
            record = self.records[form.record]
            match = compare_features(
                q,
                form.features,
                a_birth=birth,
                b_birth=record.birth,
                a_gender=gender,
                b_gender=record.gender,
            )
            if match.score < threshold:
                continue
            current = best.get(form.record)
            if current is None or match.score > current.score:
                best[form.record] = Candidate(
                    record.entity_id, form.text, match.score, match.explanation
                )
        return sorted(best.values(), key=lambda c: (-c.score, c.entity_id))[:limit]
