"""A fast screening index: names of many entities, searched by any spelling in any script."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Indel

from vigil.names.compare import Features, compare_features, features, surname_floor
from vigil.names.evidence import BirthInput, parse_birth
from vigil.names.thresholds import OPERATING_THRESHOLD
from vigil.names.tokens import SOUND_CAP, TokenInfo, token_shapes, token_similarity

#: Indexed tokens sharing a blocking key with a query that are scored as surname candidates.
#: Keys shared by more tokens than this (very common short skeletons) are skipped when the
#: query token has rarer keys as well.
COMMON_KEY = 1000
#: A token naming more forms than this (al, bin, a common given name) finds candidates only
#: when the query has no rarer token; it still counts in the full comparison.
COMMON_TOKEN = 50
#: Forms scored in full per query, the most alike by their surname-capable tokens.
SHORTLIST = 6
#: Rank a shared token or given-name id adds to a candidate form (breaks namesakes' ties).
OVERLAP_WEIGHT = 0.5
#: Query tokens whose similar indexed tokens are remembered (names repeat their tokens).
SIMILAR_CACHE_SIZE = 100_000

# Per blocking key: spellings, their token ids, sound forms, their token ids.
_KeyStrings = tuple[list[str], list[int], list[str], list[int]]
_RUNS = re.compile(r"(.)\1+")
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
    words: frozenset[str]


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
    """A skeleton and every skeleton made by deleting one of its letters (runs collapsed)."""
    if len(key) < 2:
        return {key}
    return {key} | {_RUNS.sub(r"\1", key[:i] + key[i + 1 :]) for i in range(len(key))}


def token_keys(token: TokenInfo) -> set[str]:
    """Blocking keys of a token that may be a surname: its sound skeleton within one edit."""
    return {"s:" + k for k in _deletions(token.skeleton)} if token.skeleton else {"n:" + token.norm}


def form_words(f: Features) -> frozenset[str]:
    """Normalised tokens and given-name ids of a name, for breaking ties among candidates."""
    tokens = (*f.surnames, *f.given, *([f.patronymic] if f.patronymic else []))
    return frozenset(
        [t.norm for t in tokens] + ["g:" + i for t in tokens for i in t.given_ids | t.patronymic_ids]
    )


def surname_tokens(f: Features) -> tuple[TokenInfo, ...]:
    """Tokens that are the surname in some reading of the name (given ones if order is open)."""
    tokens = f.surnames if f.parsed.certain else (*f.surnames, *f.given)
    return tuple({t.norm: t for t in tokens}.values())


class NameIndex:
    """Names of many entities, searchable by any spelling, order, initials or script."""

    def __init__(self, records: Iterable[NameRecord]) -> None:
        """Index every name form of every record by the tokens that may be its surname."""
        self.records: list[NameRecord] = []
        self._forms: list[_Form] = []
        self._token_ids: dict[str, int] = {}
        self._tokens: list[TokenInfo] = []
        self._token_forms: list[list[int]] = []
        self._token_sounds: list[tuple[str, ...]] = []
        self._token_shapes: list[frozenset[str]] = []
        self._token_spellings: list[tuple[str, ...]] = []
        self._strings: dict[str, _KeyStrings] = {}
        self._similar: dict[tuple[str, float], dict[int, float]] = {}
        self._postings: dict[str, list[int]] = defaultdict(list)
        self._has_birth = False
        for record in records:
            number = len(self.records)
            self.records.append(record)
            self._has_birth = self._has_birth or bool(parse_birth(record.birth))
            for name in record.names:
                for text in expand_forms(name):
                    f = features(text)
                    if not f.surnames:
                        continue
                    form_id = len(self._forms)
                    self._forms.append(_Form(number, text, f, form_words(f)))
                    for token in surname_tokens(f):
                        self._token_forms[self._token_id(token)].append(form_id)

    def _token_id(self, token: TokenInfo) -> int:
        """The id of an indexed token, adding it and its keys when new."""
        found = self._token_ids.get(token.norm)
        if found is not None:
            return found
        number = self._token_ids[token.norm] = len(self._tokens)
        self._tokens.append(token)
        self._token_forms.append([])
        self._token_sounds.append(token.sounds or (token.norm,))
        self._token_shapes.append(token_shapes(token))
        self._token_spellings.append(tuple(token.variants) or (token.norm,))
        for key in token_keys(token):
            self._postings[key].append(number)
        return number

    def __len__(self) -> int:
        """Number of indexed name forms."""
        return len(self._forms)

    def _blocking_lists(self, token: TokenInfo) -> list[str]:
        """The blocking keys of a query token worth reading: the rare ones, else all."""
        keys = [k for k in token_keys(token) if k in self._postings]
        rare = [k for k in keys if len(self._postings[k]) <= COMMON_KEY]
        return rare or keys

    def _key_strings(self, key: str) -> _KeyStrings:
        """Spellings and sound forms of the tokens under one key, with their owners (cached)."""
        found = self._strings.get(key)
        if found is None:
            ids = self._postings[key]
            found = self._strings[key] = (
                [s for i in ids for s in self._token_spellings[i]],
                [i for i in ids for _ in self._token_spellings[i]],
                [s for i in ids for s in self._token_sounds[i]],
                [i for i in ids for _ in self._token_sounds[i]],
            )
        return found

    def _similar_tokens(self, token: TokenInfo, floor: float) -> dict[int, float]:
        """Indexed tokens at least `floor` similar to a query token (remembered per token)."""
        key = (token.norm, floor)
        found = self._similar.get(key)
        if found is None:
            if len(self._similar) >= SIMILAR_CACHE_SIZE:
                self._similar.clear()
            found = self._similar[key] = self._find_similar(token, floor)
        return found

    def _find_similar(self, token: TokenInfo, floor: float) -> dict[int, float]:
        """Indexed tokens at least `floor` similar to a query token, with their similarity."""
        keys = self._blocking_lists(token)
        exact = self._token_ids.get(token.norm)
        found: dict[int, float] = {} if exact is None else {exact: 1.0}
        if floor <= 0:
            for key in keys:
                for i in self._postings[key]:
                    found[i] = token_similarity(token, self._tokens[i])[0]
            return found
        # Vowel and ending rules join tokens of one skeleton whose sound forms differ more.
        same = self._postings.get("s:" + token.skeleton, ()) if token.skeleton else ()
        shapes = token_shapes(token)
        for token_id in same:
            if token_id not in found and self._token_shapes[token_id] & shapes:
                found[token_id] = token_similarity(token, self._tokens[token_id])[0]
        # Spelling and sound similarity at C speed; the Python scorer only for the survivors.
        passed: set[int] = set()
        spellings = list(token.variants) or [token.norm]
        sounds = list(token.sounds)
        for key in keys:
            spelled, spelled_by, sounded, sounded_by = self._key_strings(key)
            for mine, theirs, owners, cutoff in (
                (spellings, spelled, spelled_by, floor),
                (sounds, sounded, sounded_by, floor / SOUND_CAP),
            ):
                if not mine or not theirs:
                    continue
                matrix = process.cdist(
                    mine,
                    theirs,
                    scorer=Indel.normalized_similarity,
                    score_cutoff=min(cutoff, 1.0),
                    dtype=np.float32,
                )
                passed.update(owners[c] for c in np.flatnonzero(matrix.max(axis=0)))
        for token_id in passed - found.keys():
            found[token_id] = token_similarity(token, self._tokens[token_id])[0]
        return {i: score for i, score in found.items() if score >= floor}

    def _candidates(self, query: Features, floor: float) -> list[int]:
        """Form ids with a surname-capable token at least `floor` similar, most alike first."""
        similar = [self._similar_tokens(t, floor) for t in surname_tokens(query)]
        found = {i for tokens in similar for i in tokens}
        common = {i for i in found if len(self._token_forms[i]) > COMMON_TOKEN}
        if common == found:
            common = set()
        # A form's rank: the best match of each query token among its tokens, summed.
        per_token: list[dict[int, float]] = []
        for tokens in similar:
            best: dict[int, float] = {}
            for token_id, score in tokens.items():
                if token_id in common:
                    continue
                for form_id in self._token_forms[token_id]:
                    if score > best.get(form_id, -1.0):
                        best[form_id] = score
            per_token.append(best)
        rank: dict[int, float] = defaultdict(float)
        for best in per_token:
            for form_id, score in best.items():
                rank[form_id] += score
        for tokens in similar:
            for token_id, score in tokens.items():
                if token_id in common:
                    for form_id in self._token_forms[token_id]:
                        if form_id in rank:
                            rank[form_id] += score
        # Ties among namesakes (a family on one list) are broken by the other shared tokens.
        words = form_words(query)
        for form_id in rank:
            rank[form_id] += OVERLAP_WEIGHT * len(words & self._forms[form_id].words)
        shortlist: list[int] = []
        records: set[int] = set()
        for form_id in sorted(rank, key=rank.__getitem__, reverse=True):
            record = self._forms[form_id].record
            if record not in records:
                if len(records) == SHORTLIST:
                    break
                records.add(record)
            shortlist.append(form_id)
        return shortlist

    def shortlist(self, query: str, *, threshold: float = OPERATING_THRESHOLD) -> list[str]:
        """Entity ids of the blocked candidates a search would score in full."""
        floor = surname_floor(threshold, with_birth=self._has_birth)
        ids = (
            self.records[self._forms[i].record].entity_id
            for i in self._candidates(features(query), floor)
        )
        return list(dict.fromkeys(ids))

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
        floor = surname_floor(threshold, with_birth=bool(parse_birth(birth)) and self._has_birth)
        best: dict[int, Candidate] = {}
        for form_id in self._candidates(q, floor):
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
