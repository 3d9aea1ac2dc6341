"""Keys of name forms and of queries, from `vigil.names`: any script, any spelling, any order."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from vigil.names import normalise, search_keys
from vigil.names.data_files import read_rows
from vigil.names.keys import token_search_keys

#: Skeletons this long also find skeletons one edit away (Bialiatski ~ Bialacki), and one
#: consonant shorter find those with one more; shorter ones would find half the record.
NEAR_MIN = 4
#: Query tokens at least this long also find stored tokens they begin (as-you-type search).
PREFIX_MIN = 3
_RUNS = re.compile(r"(.)\1+")


#: Longest key stored (``NameKey.key``, ``NameToken``).
KEY_LENGTH = 100


def form_keys(text: str) -> set[str]:
    """The keys a stored name is found by: sound skeletons, given-name ids and its tokens —
    each token's keys (``token_keys``), all of them: ``search_keys`` of the text and its
    tokens, word by word."""
    return set().union(*map(token_keys, normalise(text).split()))


@functools.lru_cache(maxsize=50_000)
def token_keys(token: str) -> frozenset[str]:
    """The keys one token of a normalised name gives a stored name: its sound skeleton and
    given-name and patronymic ids, as ``search_keys`` makes them for each token of a name,
    and the token itself. A name's keys are its tokens' (``form_keys``): the name index's
    vocabulary (``NameToken``) maps each stored token to these keys."""
    return frozenset({"t:" + token, *token_search_keys(token)})


@dataclass(frozen=True)
class QueryToken:
    """One word of a query and the keys that find it."""

    norm: str
    exact: frozenset[str]
    near: frozenset[str]
    given: bool

    @property
    def prefix(self) -> str | None:
        """The stored-token prefix this word looks up, when it is long enough to be specific."""
        return "t:" + self.norm if len(self.norm) >= PREFIX_MIN else None


def query_tokens(query: str) -> list[QueryToken]:
    """The words of a query with their exact and one-edit-away keys."""
    tokens = []
    for norm in dict.fromkeys(normalise(query).split()):
        keys = search_keys(norm)
        sounds = [k[2:] for k in keys if k.startswith("s:")]
        near = {"s:" + n for s in sounds for n in _neighbours(s)} - keys
        given = any(k[:2] in {"g:", "p:"} for k in keys)
        tokens.append(QueryToken(norm, frozenset(keys | {"t:" + norm}), frozenset(near), given))
    return tokens


@functools.cache
def _alphabet() -> str:
    """The consonant classes a skeleton is written in."""
    return "".join(sorted({ch for row in read_rows("skeleton.csv") for ch in row["class"]}))


@functools.lru_cache(maxsize=10_000)
def _neighbours(sound: str) -> frozenset[str]:
    """Skeletons one edit away: an insertion from three consonants, any edit from NEAR_MIN."""
    if len(sound) < NEAR_MIN - 1:
        return frozenset()
    letters = _alphabet()
    found: set[str] = set()
    for i in range(len(sound) + 1):
        found.update(sound[:i] + ch + sound[i:] for ch in letters)
        if i < len(sound) and len(sound) >= NEAR_MIN:
            found.add(sound[:i] + sound[i + 1 :])
            found.update(sound[:i] + ch + sound[i + 1 :] for ch in letters)
    return frozenset(_RUNS.sub(r"\1", s) for s in found if len(s) >= NEAR_MIN - 1) - {sound}
