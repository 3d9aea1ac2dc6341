"""Finding persons by any spelling of any of their names: indexed keys, then the scorer.

Lookup reads the key index (sound skeletons, given-name ids, tokens and token prefixes,
skeletons one edit away); only the few forms found are scored with ``vigil.names.compare``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Q
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
#: Persons returned at most: the best of them, scored in full with the name scorer.
MAX_RESULTS = 50
#: Forms checked against the policy at a time, best ranked first.
ACCESS_BATCH = 100
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
    for form in _visible(user, _ranked(query, tokens), limit):
        score = compare(query, form.text).score
        tier = form.rank[0]
        if tier == NEAR and score < NEAR_FLOOR:
            continue
        hit = PersonHit(form.person_id, form.text, tier, score)
        current = best.get(form.person_id)
        if current is None or (hit.tier, -hit.score) < (current.tier, -current.score):
            best[form.person_id] = hit
    return sorted(best.values(), key=lambda h: (h.tier, -h.score, h.form, str(h.person_id)))


def _ranked(query: str, tokens: list[QueryToken]) -> list[_Form]:
    """Candidate forms, best first by tier, words matched and string similarity."""
    # Key rows are cheap (a covering index); loading forms and checking access are not.
    found = _qualifying(tokens, _key_rows(tokens))
    kept = sorted(found, key=found.__getitem__)[:FORM_CAP]
    wanted = normalise(query)
    loaded = NameForm.objects.filter(pk__in=kept).values_list(
        "pk", "person_id", "name_id", "text", "normalised"
    )
    forms = []
    for pk, person_id, name_id, text, normalised in loaded:
        tier, weight = found[pk]
        tier = EXACT if normalised == wanted else tier
        similarity = -fuzz.token_sort_ratio(wanted, normalised)
        forms.append(_Form((tier, weight, similarity), person_id, name_id, text))
    forms.sort(key=lambda f: (f.rank, f.text, str(f.person_id)))
    return forms


def _visible(user: User | None, forms: list[_Form], limit: int) -> list[_Form]:
    """The best form of each of the first ``limit`` persons with a form ``user`` may view.

    Checked in batches, best first, so a common surname costs a few small queries rather
    than one per candidate.
    """
    chosen: dict[Any, _Form] = {}
    for start in range(0, len(forms), ACCESS_BATCH):
        batch = [f for f in forms[start : start + ACCESS_BATCH] if f.person_id not in chosen]
        for form in _allowed(user, batch):
            if len(chosen) >= limit:
                return list(chosen.values())
            chosen.setdefault(form.person_id, form)
    return list(chosen.values())


def _allowed(user: User | None, forms: list[_Form]) -> list[_Form]:
    """The forms whose person (and stored name) ``user`` may view, in their order."""
    if user is None or not forms:
        return forms
    persons = restrict(user, "view", Person.objects.filter(pk__in={f.person_id for f in forms}))
    names = {f.name_id for f in forms if f.name_id is not None}
    seen_names = restrict(user, "view", PersonName.objects.filter(pk__in=names))
    people = set(persons.values_list("pk", flat=True))
    named = set(seen_names.values_list("pk", flat=True)) if names else set()
    return [f for f in forms if f.person_id in people and (f.name_id is None or f.name_id in named)]


def _qualifying(tokens: list[QueryToken], rows: _Rows) -> dict[int, tuple[int, int]]:
    """Forms every required word matched, with their (tier, minus the strength summed)."""
    found: dict[int, tuple[int, int]] = {}
    for form_id, strength in _strengths(tokens, rows).items():
        tier = _tier(tokens, strength)
        if tier is not None:
            found[form_id] = (tier, -sum(strength))
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


def _strengths(tokens: list[QueryToken], rows: _Rows) -> dict[int, list[int]]:
    """Per form, how well each query word matched it: STRONG, WEAK or 0."""
    by_key: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for i, token in enumerate(tokens):
        for key in token.exact:
            by_key[key].append((i, STRONG))
        for key in token.near:
            by_key[key].append((i, WEAK))
    prefixes = [(i, t.prefix) for i, t in enumerate(tokens) if t.prefix]
    found: dict[int, list[int]] = {}
    for form_id, key in rows:
        strength = found.setdefault(form_id, [0] * len(tokens))
        for i, level in by_key.get(key, ()):
            strength[i] = max(strength[i], level)
        if key.startswith("t:"):
            for i, prefix in prefixes:
                if key.startswith(prefix):
                    strength[i] = STRONG
    return found


def _tier(tokens: list[QueryToken], strength: list[int]) -> int | None:
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
