"""Given names: one table of equivalent forms per name (Belarusian and Russian first, then
common names of other origins), and patronymics."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from vigil.names.data_files import read_rows, split_cell
from vigil.names.normalise import fold_ascii, is_cyrillic, normalise
from vigil.names.phonetic import skeleton
from vigil.names.transliterate import latin_variants


@dataclass(frozen=True)
class GivenName:
    """One row of `given_names.csv`: a name and its Russian, Belarusian and Latin forms."""

    id: str
    gender: str
    cyrillic: tuple[str, ...]
    latin: tuple[str, ...]
    east_slavic: bool = True  # from given_names.csv; patronymics are read from these only


@functools.lru_cache(maxsize=200_000)
def loose(latin: str) -> str:
    """A folded Latin spelling with y/j as i, w as v, x as ks and doubled letters single."""
    text = fold_ascii(latin).replace("x", "ks").replace("w", "v").replace("kh", "h")
    text = text.replace("y", "i").replace("j", "i")
    return re.sub(r"(.)\1+", r"\1", text)


@functools.cache
def given_names() -> tuple[GivenName, ...]:
    """Every row of the given-name tables (`given_names.csv`, then `given_names_world.csv`)."""
    return tuple(
        GivenName(
            id=row["id"],
            gender=row["gender"],
            cyrillic=tuple(normalise(f) for f in split_cell(row["ru"]) + split_cell(row["be"])),
            latin=tuple(normalise(f) for f in split_cell(row["latin"])),
            east_slavic=filename == "given_names.csv",
        )
        for filename in ("given_names.csv", "given_names_world.csv")
        for row in read_rows(filename)
    )


@functools.cache
def _form_index() -> dict[str, frozenset[str]]:
    """Normalised Cyrillic forms and loose Latin spellings → ids of the names they spell."""
    index: dict[str, set[str]] = {}
    for name in given_names():
        forms: set[str] = set(name.cyrillic)
        for form in name.cyrillic:
            forms.update(loose(v) for v in latin_variants(form))
        forms.update(loose(form) for form in name.latin)
        for form in forms:
            index.setdefault(form, set()).add(name.id)
    return {form: frozenset(ids) for form, ids in index.items()}


def _stem(form: str) -> str:
    """A loose Latin given-name spelling without the ending a patronymic replaces."""
    return re.sub(r"(ii|i|a|e)$", "", form)


@functools.cache
def _stem_index() -> dict[str, frozenset[str]]:
    """Sound skeletons of given-name stems → ids, for reading patronymics (East-Slavic names
    only: other origins have no patronymic of this form)."""
    east_slavic = {name.id for name in given_names() if name.east_slavic}
    index: dict[str, set[str]] = {}
    for form, all_ids in _form_index().items():
        ids = all_ids & east_slavic
        if is_cyrillic(form) or not ids:
            continue
        key = skeleton(_stem(form))
        if key:
            index.setdefault(key, set()).update(ids)
    return {key: frozenset(ids) for key, ids in index.items()}


@functools.lru_cache(maxsize=200_000)
def given_name_ids(token: str) -> frozenset[str]:
    """Ids of the table's names that a token spells (empty when it is no known given name)."""
    norm = normalise(token)
    if " " in norm or not norm:
        return frozenset()
    index = _form_index()
    if is_cyrillic(norm):
        found = index.get(norm.replace("ё", "е")) or index.get(norm)
        if found:
            return found
        for variant in latin_variants(norm):
            found = index.get(loose(variant))
            if found:
                return found
        return frozenset()
    return index.get(loose(norm), frozenset())


def patronymic_ids(stem: str) -> frozenset[str]:
    """Ids of given names whose stem sounds like a patronymic's stem (Uladzimir-avich)."""
    key = skeleton(loose(stem)) if not is_cyrillic(stem) else skeleton(stem)
    return _stem_index().get(key, frozenset()) if key else frozenset()


def is_given_name(token: str) -> bool:
    """True when the token is a Belarusian or Russian given name (Cyrillic or common Latin)."""
    return bool(given_name_ids(token))


@functools.lru_cache(maxsize=4096)
def given_name_gender(ids: frozenset[str]) -> str:
    """'m', 'f' or '' for a set of given-name ids."""
    genders = {name.gender for name in given_names() if name.id in ids}
    return genders.pop() if len(genders) == 1 else ""
