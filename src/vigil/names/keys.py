"""Search keys a database can index so a name is found by spellings nobody stored."""

from __future__ import annotations

from vigil.names.normalise import normalise
from vigil.names.phonetic import skeleton
from vigil.names.tokens import token_info


def search_keys(name: str) -> set[str]:
    """Script-independent keys of a name: a sound skeleton per token, and given-name ids."""
    keys: set[str] = set()
    for token in normalise(name).split():
        keys.update(token_search_keys(token))
    return keys


def token_search_keys(token: str) -> set[str]:
    """The keys one normalised token adds to its name's (:func:`search_keys`): its sound
    skeleton (two letters or more) and its given-name and patronymic ids."""
    info = token_info(token)
    keys = {"g:" + i for i in info.given_ids} | {"p:" + i for i in info.patronymic_ids}
    sound = skeleton(token)
    if len(sound) >= 2:
        keys.add("s:" + sound)
    return keys
