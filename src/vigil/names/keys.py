"""Search keys a database can index so a name is found by spellings nobody stored."""

from __future__ import annotations

from vigil.names.normalise import normalise
from vigil.names.phonetic import skeleton
from vigil.names.tokens import token_info


def search_keys(name: str) -> set[str]:
    """Script-independent keys of a name: a sound skeleton per token, and given-name ids."""
    keys: set[str] = set()
    for token in normalise(name).split():
        info = token_info(token)
        sound = skeleton(token)
        if len(sound) >= 2:
            keys.add("s:" + sound)
        keys.update("g:" + i for i in info.given_ids)
        keys.update("p:" + i for i in info.patronymic_ids)
    return keys
