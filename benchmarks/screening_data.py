"""The EU Belarus list as benchmark data: 304 persons with four name forms, and perturbations."""

from __future__ import annotations

import csv
import os
import random
import re
from dataclasses import dataclass
from pathlib import Path

from vigil.names.homoglyphs import repair_homoglyphs
from vigil.names.normalise import fold_ascii, is_cyrillic
from vigil.names.transliterate import transliterate

EU_LIST = Path("sanctions") / "eu_reg_765_2006_annexI.csv"
FORMS = ("be_latn", "ru_latn", "be_cyrl", "ru_cyrl")
_PARENS = re.compile(r"\s*\([^)]*\)")


def data_dir() -> Path | None:
    """The sample data folder (`VIGIL_SAMPLE_DATA`, default ../shared/data), if present."""
    configured = os.environ.get("VIGIL_SAMPLE_DATA")
    root = Path(__file__).resolve().parent.parent
    path = Path(configured) if configured else root.parent / "shared" / "data"
    return path if path.is_dir() else None


@dataclass(frozen=True)
class Person:
    """One listed person: id, record number, four name forms, birth date, gender."""

    entity_id: str
    record: int
    forms: dict[str, str]
    birth: str
    gender: str


def load_persons(data: Path) -> list[Person]:
    """The persons whose name and aliases give exactly two Latin and two Cyrillic forms."""
    persons = []
    with (data / EU_LIST).open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["schema"] != "Person" or not row["recordId"]:
                continue
            names = [row["name"]]
            if row["alias"]:
                names += next(csv.reader([row["alias"]], delimiter=";", skipinitialspace=True))
            names = [repair_homoglyphs(n.strip()) for n in names if n.strip()]
            latin = [n for n in names if not is_cyrillic(n)]
            cyrillic = [n for n in names if is_cyrillic(n)]
            if len(latin) != 2 or len(cyrillic) != 2:
                continue
            forms = dict(zip(FORMS, latin + cyrillic, strict=True))
            entity_id = f"{row['annex']}/{row['recordId']}"
            persons.append(
                Person(entity_id, int(row["recordId"]), forms, row["birthDate"], row["gender"])
            )
    return persons


def query_text(form: str) -> str:
    """A query made from a listed form: parenthesised variants dropped."""
    return " ".join(_PARENS.sub(" ", form).replace(",", " ").split())


def _tokens(form: str) -> list[str]:
    """Tokens of a query form."""
    return query_text(form).split()


def _surname_index(tokens: list[str]) -> int:
    """Position of the surname: the all-capitals token, else the last."""
    for i, token in enumerate(tokens):
        if len(token) > 1 and token.isupper():
            return i
    return len(tokens) - 1


def drop_patronymic(form: str) -> str:
    """The form without its patronymic (the token between given name and surname)."""
    tokens = _tokens(form)
    s = _surname_index(tokens)
    rest = [t for i, t in enumerate(tokens) if i != s]
    if len(rest) >= 2:
        rest = rest[:1]
    return " ".join(rest + [tokens[s]])


def surname_first(form: str) -> str:
    """'Surname Given Patronymic' in title case, as court papers write it."""
    tokens = _tokens(form)
    s = _surname_index(tokens)
    ordered = [tokens[s]] + [t for i, t in enumerate(tokens) if i != s]
    return " ".join(t.capitalize() for t in ordered)


def initials(form: str) -> str:
    """'Surname G.P.' as court papers write it ('Запасник М.С.')."""
    tokens = _tokens(form)
    s = _surname_index(tokens)
    rest = [t for i, t in enumerate(tokens) if i != s]
    return tokens[s].capitalize() + " " + "".join(t[0].upper() + "." for t in rest[:2])


def typo(form: str, seed: int) -> str:
    """The form with one edit (substitution, deletion, insertion, swap) in the surname."""
    rng = random.Random(seed)
    tokens = _tokens(form)
    s = _surname_index(tokens)
    word = tokens[s]
    alphabet = "АБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЫЭЯ" if is_cyrillic(word) else "ABCDEFGHIKLMNOPRSTUVYZ"
    i = rng.randrange(1, len(word))
    kind = rng.choice(["sub", "del", "ins", "swap"])
    if kind == "sub":
        word = word[:i] + rng.choice(alphabet) + word[i + 1 :]
    elif kind == "del" and len(word) > 3:
        word = word[:i] + word[i + 1 :]
    elif kind == "swap" and i < len(word) - 1:
        word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    else:
        word = word[:i] + rng.choice(alphabet) + word[i:]
    tokens[s] = word if word.isupper() else word.upper()
    return " ".join(tokens)


def unseen_romanisations(person: Person) -> list[tuple[str, str]]:
    """(source form, query) in romanisations the list does not use: Łacinka, Polish, ISO 9."""
    be = query_text(person.forms["be_cyrl"])
    ru = query_text(person.forms["ru_cyrl"])
    return [
        ("be_cyrl", " ".join(fold_ascii(w) for w in transliterate(be, "be_lacinka").split())),
        ("ru_cyrl", transliterate(ru, "ru_polish")),
        ("ru_cyrl", transliterate(ru, "ru_iso9")),
    ]


PERTURBATIONS = {
    "patronymic dropped": lambda p, source: drop_patronymic(p.forms[source]),
    "surname first": lambda p, source: surname_first(p.forms[source]),
    "initials": lambda p, source: initials(p.forms[source]),
    "one typo": lambda p, source: typo(p.forms[source], p.record * 7 + FORMS.index(source)),
}


def speed_queries(persons: list[Person]) -> list[str]:
    """Distinct queries for the speed runs: each form as listed, surname first, and initials."""
    queries: dict[str, None] = {}
    for make in (lambda f: query_text(f), surname_first, initials):
        for p in persons:
            for form in FORMS:
                queries.setdefault(make(p.forms[form]), None)
    return list(queries)
