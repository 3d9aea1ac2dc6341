"""A fast screening index: names of many entities, searched by any spelling in any script."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Indel

from vigil.names.compare import Features, compare_features, features, surname_floor
from vigil.names.evidence import BirthInput, parse_birth
from vigil.names.thresholds import OPERATING_THRESHOLD
from vigil.names.tokens import (
    TYPO_MIN_LENGTH,
    TYPO_SCORE,
    VOWEL_SCORE,
    TokenInfo,
    initial_letters,
    merged_deletions,
    one_slip_apart,
    surname_similarity,
    typo_keys,
    vowel_keys,
)

#: Indexed tokens sharing a blocking key with a query that are scored as surname candidates.
#: Keys shared by more tokens than this (very common short skeletons) are skipped when the
#: query token has rarer keys as well.
COMMON_KEY = 100
#: A token naming more forms than this (al, bin, a common given name) finds candidates only
#: when the query has no rarer token; it still counts in the full comparison.
COMMON_TOKEN = 50
#: Forms scored in full per query, the most alike by their surname-capable tokens.
SHORTLIST = 3
#: Forms ranked by their other shared tokens too (the rest are out of the shortlist).
RANKED = 40
#: Name forms of one entity scored in full per query (its best-ranked aliases).
FORMS_PER_RECORD = 2
#: Rank a shared token or given-name id adds to a candidate form (breaks namesakes' ties).
OVERLAP_WEIGHT = 0.5
#: How far below the surname floor a sound-form similarity may be and still get scored.
PRESCORE_MARGIN = 0.05
#: How far below the surname floor a sound-form similarity may be and still be checked in full
#: when nothing reached the floor (a typo costs a short sound form more than its spelling).
VERIFY_MARGIN = 0.15
#: A token estimate at or above this is plainly the query token in another spelling: no search
#: for tokens one typing slip away is made (below it, one is, even when some token is near).
SURE_TOKEN = 0.95
#: Query tokens whose similar indexed tokens are remembered (names repeat their tokens).
SIMILAR_CACHE_SIZE = 100_000
#: Query tokens whose per-form estimates are remembered (each up to a few thousand forms).
FORM_SCORES_CACHE_SIZE = 20_000

# Per blocking key: sound forms and the ids of their tokens.
_KeyStrings = tuple[list[str], list[int]]
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


@functools.lru_cache(maxsize=200_000)
def _deletions(key: str) -> frozenset[str]:
    """A skeleton and every skeleton made by deleting one of its letters (runs collapsed)."""
    if len(key) < 2:
        return frozenset((key,))
    return frozenset({key} | {_RUNS.sub(r"\1", key[:i] + key[i + 1 :]) for i in range(len(key))})


def token_keys(token: TokenInfo) -> frozenset[str]:
    """Blocking keys of a token that may be a surname: its sound skeleton within one edit."""
    return _skeleton_keys(token.skeleton) if token.skeleton else frozenset(("n:" + token.norm,))


@functools.lru_cache(maxsize=200_000)
def _skeleton_keys(skeleton: str) -> frozenset[str]:
    """The 's:' keys of a sound skeleton within one edit (cached)."""
    return frozenset("s:" + k for k in _deletions(skeleton))


def slip_keys(token: TokenInfo) -> set[str]:
    """Keys two tokens share when their typo keys are one slip apart (deletion neighbourhood).

    A substitution, insertion, deletion or swap of neighbours after the first letter leaves
    the two keys with one deletion each in common (the first letter kept), so a typo finds
    its surname whatever the sound skeleton lost.
    """
    found: set[str] = set()
    for key in typo_keys(token):
        if len(key) >= TYPO_MIN_LENGTH:
            found.add("t:" + key)
            found.update("t:" + key[:i] + key[i + 1 :] for i in range(1, len(key)))
            found.update("t:" + merged for merged in merged_deletions(key))
    return found


def form_words(f: Features) -> frozenset[str]:
    """Tokens, given-name ids and initials of a name, for breaking ties among candidates."""
    tokens = (*f.surnames, *f.given, *([f.patronymic] if f.patronymic else []))
    words = [t.norm for t in tokens]
    words += ["g:" + i for t in tokens for i in t.given_ids | t.patronymic_ids]
    if f.given:
        words += ["i:" + letter for letter in f.given[0].initials]
    if f.patronymic:
        words += ["j:" + letter for letter in f.patronymic.initials]
    for prefix, letter in zip(("i:", "j:"), f.parsed.initials, strict=False):
        words += [prefix + x for x in initial_letters(letter)]
    return frozenset(words)


def surname_tokens(f: Features) -> tuple[TokenInfo, ...]:
    """Tokens that are the surname in some reading of the name (given ones if order is open)."""
    tokens = f.surnames if f.parsed.certain else (*f.surnames, *f.given)
    return tuple({t.norm: t for t in tokens}.values())


def _leaders(rank: dict[int, float]) -> list[int]:
    """The RANKED best-ranked form ids; ties broken by form number (the same in every process).

    The floats alone are sorted (C's fast path for floats) to find the RANKED-th rank; only
    the forms at or above it are ordered by (rank, number).
    """
    if len(rank) <= RANKED:
        return list(rank)
    cutoff = sorted(rank.values(), reverse=True)[RANKED - 1]
    above = [i for i, score in rank.items() if score >= cutoff]
    if len(above) > RANKED:
        above = sorted(above, key=lambda i: (-rank[i], i))[:RANKED]
    return above


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
        self._strings: dict[str, _KeyStrings] = {}
        self._similar: dict[tuple[str, float], dict[int, float]] = {}
        self._scores: dict[tuple[str, float, bool], dict[int, float]] = {}
        # Typo keys → tokens, built on the first search that needs them.
        self._slip_postings: dict[str, list[int]] | None = None
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
        for key in token_keys(token):
            self._postings[key].append(number)
        for key in vowel_keys(token):
            self._postings["v:" + key].append(number)
        return number

    def __len__(self) -> int:
        """Number of indexed name forms."""
        return len(self._forms)

    def _blocking_lists(self, token: TokenInfo, *, wider: bool = False) -> list[str]:
        """The blocking keys of a query token worth reading: the rare ones, else all."""
        candidates: frozenset[str] | set[str] = token_keys(token)
        if wider:
            # Two edits on the query side: a typo that split a digraph (ch → cfh).
            candidates = {"s:" + d for k in candidates for d in _deletions(k[2:])} - candidates
        # Sorted: a set's order changes with each process's string hashing.
        keys = sorted(k for k in candidates if k in self._postings)
        rare = [k for k in keys if len(self._postings[k]) <= COMMON_KEY]
        return rare or keys

    def _key_strings(self, key: str) -> _KeyStrings:
        """Sound forms of the tokens under one key, with their owners (cached)."""
        found = self._strings.get(key)
        if found is None:
            ids = self._postings[key]
            found = self._strings[key] = (
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
        """Indexed tokens about `floor` similar to a query token or more, with an estimate."""
        keys = self._blocking_lists(token)
        exact = self._token_ids.get(token.norm)
        found: dict[int, float] = {} if exact is None else {exact: 1.0}
        if floor <= 0:
            for key in keys:
                for i in self._postings[key]:
                    found[i] = surname_similarity(token, self._tokens[i])[0]
            return found
        # Sound forms at C speed, with a margin below the floor: spellings seldom agree more
        # than their sounds, and the full comparison of the shortlist is exact anyway.
        self._prescore(token, keys, floor, found)
        if not any(score >= SURE_TOKEN for score in found.values()):
            # Nothing that is plainly the same token: perhaps a typo, and a token near the
            # query by chance (SHATSAK near SHOTIK) must not hide the one it was typed for.
            if token.skeleton:
                # Two edits on the query side, and the tokens whose sound forms come within a
                # wider margin compared in full (spelling, endings).
                keys = sorted({*keys, *self._blocking_lists(token, wider=True)})
                self._prescore(token, keys, floor, found, verify=True)
            # The typo rule joins surnames one slip apart once vowels are folded (a token
            # without consonant classes, such as АВААЎ, has typo keys all the same).
            if floor <= TYPO_SCORE:
                self._slips(token, found)
        # The vowel rule joins tokens whose sound forms differ more than that.
        for key in vowel_keys(token):
            for token_id in self._postings.get("v:" + key, ()):
                found.setdefault(token_id, VOWEL_SCORE)
        return found

    def _slips(self, token: TokenInfo, found: dict[int, float]) -> None:
        """Add the tokens one slip away from a query token (typo keys), at TYPO_SCORE."""
        if self._slip_postings is None:
            postings: dict[str, list[int]] = defaultdict(list)
            for number, indexed in enumerate(self._tokens):
                for key in slip_keys(indexed):
                    postings[key].append(number)
            self._slip_postings = dict(postings)
        for key in sorted(slip_keys(token)):
            for token_id in self._slip_postings.get(key, ()):
                if token_id not in found and one_slip_apart(token, self._tokens[token_id]):
                    found[token_id] = TYPO_SCORE

    def _prescore(
        self,
        token: TokenInfo,
        keys: list[str],
        floor: float,
        found: dict[int, float],
        *,
        verify: bool = False,
    ) -> None:
        """Add the tokens under `keys` whose sound forms come near the floor, with that score.

        With `verify`, tokens within a wider margin are compared in full and kept when their
        full similarity comes near the floor.
        """
        sounded: list[str] = []
        owners: list[int] = []
        for key in keys:
            strings, ids = self._key_strings(key)
            sounded.extend(strings)
            owners.extend(ids)
        if not sounded:
            return
        cutoff = max(0.0, floor - PRESCORE_MARGIN)
        lowest = max(0.0, floor - VERIFY_MARGIN) if verify else cutoff
        for mine in token.sounds or (token.norm,):
            for _, score, column in process.extract(
                mine, sounded, scorer=Indel.normalized_similarity, score_cutoff=lowest, limit=None
            ):
                token_id = owners[column]
                if score < cutoff:
                    if token_id in found:
                        continue
                    score = surname_similarity(token, self._tokens[token_id])[0]
                    if score < cutoff:
                        continue
                if score > found.get(token_id, 0.0):
                    found[token_id] = score

    def _is_common(self, token_id: int) -> bool:
        """True when an indexed token names more than COMMON_TOKEN forms."""
        return len(self._token_forms[token_id]) > COMMON_TOKEN

    def _form_scores(
        self, token: TokenInfo, floor: float, similar: dict[int, float], rare: bool
    ) -> dict[int, float]:
        """Per form, the best estimate of a query token among its tokens (remembered).

        With `rare`, tokens naming many forms are left out.
        """
        key = (token.norm, floor, rare)
        found = self._scores.get(key)
        if found is None:
            found = {}
            for token_id, score in similar.items():
                if rare and self._is_common(token_id):
                    continue
                for form_id in self._token_forms[token_id]:
                    if score > found.get(form_id, -1.0):
                        found[form_id] = score
            if len(self._scores) >= FORM_SCORES_CACHE_SIZE:
                self._scores.clear()
            self._scores[key] = found
        return found

    def _candidates(self, query: Features, floor: float, limit: int = 0) -> list[int]:
        """Form ids with a surname-capable token at least `floor` similar, most alike first."""
        tokens = surname_tokens(query)
        similar = [self._similar_tokens(t, floor) for t in tokens]
        # Tokens naming many forms are left out unless the query has nothing rarer.
        rare = any(not self._is_common(i) for found in similar for i in found)
        # A form's rank: the best match of each query token among its tokens, summed.
        pairs = zip(tokens, similar, strict=True)
        scores = [self._form_scores(token, floor, found, rare) for token, found in pairs]
        rank: dict[int, float] = {}
        if len(scores) == 1:
            rank = scores[0]  # remembered per token: read here, never changed
        elif scores:
            rank = dict(scores[0])
            for other in scores[1:]:
                for form_id, score in other.items():
                    rank[form_id] = rank.get(form_id, 0.0) + score
        # Ties among namesakes (a family on one list) are broken by the other shared tokens.
        words = form_words(query)
        forms = self._forms
        rank = {i: rank[i] + OVERLAP_WEIGHT * len(words & forms[i].words) for i in _leaders(rank)}
        shortlist: list[int] = []
        forms_of: dict[int, int] = defaultdict(int)
        for form_id in sorted(rank, key=lambda i: (-rank[i], i)):
            record = self._forms[form_id].record
            if record not in forms_of and len(forms_of) == (limit or SHORTLIST):
                break
            if forms_of[record] < FORMS_PER_RECORD:
                forms_of[record] += 1
                shortlist.append(form_id)
        return shortlist

    def shortlist(
        self, query: str, *, threshold: float = OPERATING_THRESHOLD, limit: int = SHORTLIST
    ) -> list[str]:
        """Entity ids of the blocked candidates a search would score in full, best first."""
        floor = surname_floor(threshold, with_birth=self._has_birth)
        forms = self._candidates(features(query), floor, limit)
        return list(dict.fromkeys(self.records[self._forms[i].record].entity_id for i in forms))

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
            current = best.get(form.record)
            if current is not None and current.score >= 1.0:
                continue  # no other form of this entity can score higher
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
            if current is None or match.score > current.score:
                best[form.record] = Candidate(
                    record.entity_id, form.text, match.score, match.explanation
                )
        return sorted(best.values(), key=lambda c: (-c.score, c.entity_id))[:limit]
