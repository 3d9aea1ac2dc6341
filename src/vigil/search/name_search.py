"""Finding persons by any spelling of any of their names: indexed keys, then the scorer.

Lookup reads the key index (sound skeletons, given-name ids, tokens and token prefixes,
skeletons one edit away); only the few forms found are scored with ``vigil.names.compare``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from rapidfuzz import fuzz

from vigil.names import compare, normalise
from vigil.policy.access import restrict
from vigil.records.models import Person, PersonName
from vigil.search.models import NameForm, NameKey
from vigil.search.spelling import QueryToken, query_tokens

if TYPE_CHECKING:
    from vigil.accounts.types import User

#: Query words looked up (a pasted paragraph is not a name).
MAX_TOKENS = 6
#: Key rows read per query at most.
ROW_CAP = 50_000
#: Forms loaded per query at most, the best by tier and words matched (then string similarity).
FORM_CAP = 500
#: Forms loaded at a time (at least; up to the end of the last group of equal rank).
LOAD_BATCH = 150
#: Persons returned at most: the best of them, scored in full with the name scorer.
MAX_RESULTS = 50
#: Least score of a form found only by skeletons one edit away.
NEAR_FLOOR = 0.5
#: Match tiers, best first.
EXACT, KEYED, NEAR = 0, 1, 2
STRONG, WEAK = 2, 1
_Rows = list[tuple[int, str]]  # (form id, key)


@dataclass(frozen=True)
class PersonHit:
    """A person found by a name search, with the name that matched best."""

    person_id: Any
    form: str
    tier: int
    score: float


@dataclass(frozen=True)
class _Form:
    """A candidate name form, ranked before the policy and the scorer see it."""

    rank: tuple[int, int, float]
    person_id: Any
    name_id: Any
    text: str


def find_persons(query: str, user: User | None = None, limit: int = MAX_RESULTS) -> list[PersonHit]:
    """Persons with a name matching ``query`` in any script or spelling, best first.

    Given a ``user``, a form counts only when that user may view the person and, for a stored
    name, the name itself: a hidden alias must not find a visible person.
    """
    tokens = query_tokens(query)[:MAX_TOKENS]
    if not tokens:
        return []
    best: dict[Any, PersonHit] = {}
    for form in _first_persons(_ranked(query, tokens, user, limit), limit):
        score = compare(query, form.text).score
        tier = form.rank[0]
        if tier == NEAR and score < NEAR_FLOOR:
            continue
        hit = PersonHit(form.person_id, form.text, tier, score)
        current = best.get(form.person_id)
        if current is None or (hit.tier, -hit.score) < (current.tier, -current.score):
            best[form.person_id] = hit
    return sorted(best.values(), key=lambda h: (h.tier, -h.score, h.form, str(h.person_id)))


def _ranked(
    query: str, tokens: list[QueryToken], user: User | None = None, limit: int = MAX_RESULTS
) -> list[_Form]:
    """Candidate forms, best first by tier, words matched and string similarity: at least
    those of the first ``limit`` persons.

    Given a ``user``, only forms whose person (and stored name) that user may view: the policy
    is asked in the query that loads the forms.

    Forms are loaded a whole (tier, words matched) group at a time, best first, until the
    loaded ones name ``limit`` persons: string similarity orders forms only inside a group, so
    no form of a later group can come before them (an exact form — the query itself — has
    every word's own key, so it is always in the first group).
    """
    # Key rows are cheap (a covering index); loading forms and checking access are not.
    found = _qualifying(tokens, _key_rows(tokens))
    kept = sorted(found, key=found.__getitem__)[:FORM_CAP]
    wanted = normalise(query)
    forms = []
    persons: set[Any] = set()
    start = 0
    while start < len(kept) and len(persons) < limit:
        end = _group_end(kept, found, start + LOAD_BATCH)
        loaded = _allowed(user, NameForm.objects.filter(pk__in=kept[start:end])).values_list(
            "pk", "person_id", "name_id", "text", "normalised"
        )
        for pk, person_id, name_id, text, normalised in loaded:
            tier, weight = found[pk]
            tier = EXACT if normalised == wanted else tier
            similarity = -fuzz.token_sort_ratio(wanted, normalised)
            forms.append(_Form((tier, weight, similarity), person_id, name_id, text))
            persons.add(person_id)
        start = end
    forms.sort(key=lambda f: (f.rank, f.text, str(f.person_id)))
    return forms


def _group_end(kept: list[int], found: dict[int, tuple[int, int]], at: int) -> int:
    """Where the (tier, words matched) group of the form before ``at`` ends in ``kept``."""
    if at >= len(kept):
        return len(kept)
    rank = found[kept[at - 1]]
    while at < len(kept) and found[kept[at]] == rank:
        at += 1
    return at


def _first_persons(forms: list[_Form], limit: int) -> list[_Form]:
    """The best form of each of the first ``limit`` persons, in the forms' order."""
    chosen: dict[Any, _Form] = {}
    for form in forms:
        if form.person_id not in chosen:
            if len(chosen) >= limit:
                break
            chosen[form.person_id] = form
    return list(chosen.values())


def _allowed(user: User | None, forms: QuerySet[NameForm]) -> QuerySet[NameForm]:
    """The forms whose person (and stored name) ``user`` may view.

    One query with the forms (the policy's checks as ``EXISTS`` probes by key) instead of a
    query per model and batch: the same forms, a third of the queries.
    """
    if user is None:
        return forms
    person = restrict(user, "view", Person.objects.filter(pk=OuterRef("person_id")))
    name = restrict(user, "view", PersonName.objects.filter(pk=OuterRef("name_id")))
    return forms.filter(Exists(person)).filter(Q(name_id__isnull=True) | Exists(name))


def _qualifying(tokens: list[QueryToken], rows: _Rows) -> dict[int, tuple[int, int]]:
    """Forms every required word matched, with their (tier, minus the strength summed)."""
    found: dict[int, tuple[int, int]] = {}
    ranks: dict[tuple[int, ...], tuple[int, int] | None] = {}  # few distinct strengths
    for form_id, strength in _strengths(tokens, rows).items():
        if strength not in ranks:
            tier = _tier(tokens, strength)
            ranks[strength] = None if tier is None else (tier, -sum(strength))
        rank = ranks[strength]
        if rank is not None:
            found[form_id] = rank
    return found


def _key_rows(tokens: list[QueryToken]) -> _Rows:
    """(form id, key) rows under any key of any of these words."""
    keys = set().union(*(t.exact | t.near for t in tokens))
    wanted = Q(key__in=keys)
    for token in tokens:
        if token.prefix:
            wanted |= _prefix(token.prefix)
    return list(NameKey.objects.filter(wanted).values_list("form_id", "key")[:ROW_CAP])


def _prefix(prefix: str) -> Q:
    """Keys starting with ``prefix``, as a range the key index answers on every backend."""
    if connection.vendor == "sqlite":
        # SQLite's LIKE ignores the index under its default collation; a range does not.
        return Q(key__gte=prefix, key__lt=prefix + "\U0010ffff")
    return Q(key__startswith=prefix)


def _strengths(tokens: list[QueryToken], rows: _Rows) -> dict[int, tuple[int, ...]]:
    """Per form, how well each query word matched it: STRONG, WEAK or 0.

    A page of key rows holds few distinct keys: each key's levels are worked out once, and a
    form's are the highest of its keys' (forms in the order the rows first name them).
    """
    levels: dict[str, tuple[int, ...]] = {}
    found: dict[int, tuple[int, ...]] = {}
    for form_id, key in rows:
        level = levels.get(key)
        if level is None:
            level = levels[key] = _key_levels(tokens, key)
        current = found.get(form_id)
        if current is None:
            found[form_id] = level
        elif current != level:
            found[form_id] = tuple(map(max, current, level))
    return found


def _key_levels(tokens: list[QueryToken], key: str) -> tuple[int, ...]:
    """How well one stored key matches each query word: STRONG, WEAK or 0."""
    found = []
    for token in tokens:
        level = STRONG if key in token.exact else WEAK if key in token.near else 0
        prefix = token.prefix
        if level < STRONG and prefix and key.startswith("t:") and key.startswith(prefix):
            level = STRONG
        found.append(level)
    return tuple(found)


def _tier(tokens: list[QueryToken], strength: tuple[int, ...]) -> int | None:
    """KEYED when every word that is not a given name matched, NEAR when only nearly; else None.

    Given names and patronymics may be missing from a stored name (a surname alone, no
    patronymic); when the query has nothing else, one of them must match.
    """
    required = [i for i, t in enumerate(tokens) if not t.given]
    if not required:
        top = max(strength)
        return None if top == 0 else (KEYED if top == STRONG else NEAR)
    levels = [strength[i] for i in required]
    if min(levels) == 0:
        return None
    return KEYED if min(levels) == STRONG else NEAR
