"""Viasna-shaped CSV rows with fictional names, for import benchmarks and tests.

The columns, value shapes and mixes follow the published Viasna list (terms such as
"2 1/2 years", penalties, several articles joined by " | ", zero to three judges, counsel
names, places of detention, empty cells), but every person, judge and counsel is fictional
(names from Vigil's fictional list), ids start at 9,000,001, pages live under example.org, and
places of detention are numbered from 901 up so that none is a real institution.

Run it to write a file: ``python benchmarks/viasna_rows.py OUT.csv N [SEED]``.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HEADER = (
    "id", "url", "name", "status", "gender", "birthday", "arrested", "articles", "prison_title",
    "decision", "penalty", "judge", "counsel", "verdict_date", "appeal_date", "release_date",
    "description",
)  # fmt: skip
FIRST_ID = 9_000_001
# Article texts as the source writes them (the law is real; the weights follow the sample).
ARTICLES = (
    (
        "Art. 342 of the Criminal Code — Organization and preparation of actions that grossly "
        "violate public order, or active participation in them",
        95,
    ),
    ("Art. 369 of the Criminal Code — Insulting a government official", 49),
    ("Art. 368 of the Criminal Code — Insulting the President of the Republic of Belarus", 36),
    (
        "Art. 364 of the Criminal Code — Violence or threat of violence against an employee of the "
        "internal affairs bodies",
        24,
    ),
    ("Art. 130 of the Criminal Code — Incitement to hatred", 23),
    ("Part 2 of Art. 293 of the Criminal Code — Participation in riots", 14),
    ("Art. 370 of the Criminal Code — Desecration of state symbols", 13),
    ("Part 2 of Art. 339 of the Criminal Code — Hooliganism committed by a group of persons", 12),
    ("art. 188 of the Criminal Code — Defamation", 9),
    (
        "Art. 361-1 of the Criminal Code — Creation of an extremist formation, or participation "
        "in it",
        8,
    ),
    (
        "Part 1 of Art. 14 and Part 2 of Art. 357 of the Criminal Code — Attempted conspiracy to "
        "seize state power by unconstitutional means",
        6,
    ),
    (
        "Art. 411 — Malicious disobedience to the demands of administration of the correctional "
        "institution",
        5,
    ),
    ("Art. 369-1 of the Criminal Code — Discrediting Belarus", 4),
    ("Part 1 of Article 13 and Article 293 of the Criminal Code — Preparation for mass riots", 2),
    (
        "p. 5 of Part 2 of Art. 147 of the Criminal Code — Serious bodily injury deliberately "
        "caused to a person in connection with this person's official duties",
        1,
    ),
)
DECISIONS = (
    ("2 years", 57), ("3 years", 53), ("1 1/2 years", 37), ("2 1/2 years", 28), ("1 year", 22),
    ("", 20), ("3 1/2 years", 13), ("4 years", 6), ("5 years", 5), ("4 1/2 years", 4),
    ("6 years", 3), ("20 months", 3), ("1 year and 6 months", 2), ("10 years", 2),
    ("15 years", 2), ("3 months", 2), ("1,5 years", 1), ("3 years and 6 month", 1),
    ("Charges dismissed", 1), ("350 base rates", 1),
)  # fmt: skip
PENALTIES = (
    ("imprisonment in a general-security penal colony", 96),
    ('restricted freedom under home confinement ("domashnyaya khimiya")', 73),
    ('restricted freedom in an open penal facility ("khimiya")', 47),
    ("imprisonment in a medium-security penal colony", 29),
    ("", 17),
    ("imprisonment in a maximum-security penal colony", 9),
    ("imprisonment in a high security prison", 4),
    ("imprisonment in a juvenile penal colony", 3),
    ("arrest", 3),
    ("suspended imprisonment", 2),
)
PLACES = (
    ("", 165), ("Penal colony No. {n}", 50), ("Pre-trial detention center No. {n}", 30),
    ("Open correctional facility No. {n}", 22), ("Prison No. {n}", 11),
    ("Released awaiting the commencement of the sentence", 9), ("Juvenile penal colony No. {n}", 2),
    ("House arrest", 1),
)  # fmt: skip
STATUSES = (("active", 126), ("np", 92), ("former", 67))
DESCRIPTIONS = ("student", "worker", "activist", "entrepreneur", "volunteer", "pensioner")


def fictional_names() -> Any:
    """Vigil's fictional name list (its module needs Django's app registry, set up here)."""
    import django
    from django.apps import apps

    if not apps.ready:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigil.settings")
        django.setup()
    from vigil.demo.synthetic import fictional_names as load

    return load()


def _pick(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def _date(rng: random.Random, start: dt.date, days: int) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, days))


def _person_name(rng: random.Random) -> str:
    return fictional_names().person(rng, rng.choice(("male", "female")))[0]


def _people(
    rng: random.Random,
    pool: list[str],
    counts: tuple[int, ...],
    weights: tuple[int, ...],
    surname_only: float,
) -> str:
    names = []
    for _ in range(rng.choices(counts, weights)[0]):
        name = rng.choice(pool)
        if rng.random() < surname_only:
            name = name.split()[-1]
        names.append(name)
    return ", ".join(dict.fromkeys(names))


def rows(n: int, seed: int = 0) -> Iterator[dict[str, str]]:
    """Yield ``n`` fictional Viasna-shaped rows, deterministic for ``seed``."""
    rng = random.Random(seed)
    names = fictional_names()
    judges = [_person_name(rng) for _ in range(max(20, min(3000, n // 10)))]
    lawyers = [_person_name(rng) for _ in range(max(20, min(3000, n // 10)))]
    for i in range(n):
        rid = FIRST_ID + i
        sex = "male" if rng.random() < 0.77 else "female"
        name = names.person(rng, sex)[0]
        placeholder = rng.random()
        if placeholder < 0.003:
            name = ""
        elif placeholder < 0.03:
            name = f"Citizen {rng.choice('ABHKLMSZ')}."
        elif placeholder < 0.035:
            name = f"Resident of {rng.choice(names.stems)[0]}sk"
        arrested = _date(rng, dt.date(2020, 8, 9), 1800)
        verdict = arrested + dt.timedelta(days=rng.randint(60, 300))
        decision = _pick(rng, DECISIONS)
        penalty = "fine" if "base rates" in decision else _pick(rng, PENALTIES)
        articles = [
            _pick(rng, ARTICLES)
            for _ in range(rng.choices((0, 1, 2, 3, 4, 5), (17, 204, 39, 12, 10, 2))[0])
        ]
        place = _pick(rng, PLACES).format(n=rng.randint(901, 999))
        has_verdict = rng.random() < 0.64
        slug = name.casefold().replace(" ", "-").replace(".", "") or "person"
        yield {
            "id": str(rid),
            "url": f"https://example.org/synthetic/person/{slug}-{rid}",
            "name": name,
            "status": _pick(rng, STATUSES),
            "gender": sex,
            "birthday": "" if rng.random() < 0.38 else _date(rng, dt.date(1950, 1, 1), 20000)
            .isoformat(),
            "arrested": "" if rng.random() < 0.28 else arrested.isoformat(),
            "articles": " | ".join(dict.fromkeys(articles)),
            "prison_title": place,
            "decision": decision,
            "penalty": penalty,
            "judge": _people(rng, judges, (0, 1, 2, 3), (57, 221, 6, 1), 0.02),
            "counsel": _people(rng, lawyers, (0, 1, 2), (186, 75, 24), 0.1),
            "verdict_date": verdict.isoformat() if has_verdict else "",
            "appeal_date": (verdict + dt.timedelta(days=rng.randint(40, 120))).isoformat()
            if has_verdict and rng.random() < 0.07 else "",
            "release_date": (verdict + dt.timedelta(days=rng.randint(200, 900))).isoformat()
            if rng.random() < 0.13 else "",
            "description": "" if rng.random() < 0.43 else
            f"fictional benchmark person, {rng.choice(DESCRIPTIONS)}",
        }  # fmt: skip


def write_rows(path: Path, n: int, seed: int = 0) -> Path:
    """Write a Viasna-format CSV of ``n`` fictional rows to ``path``; return the path."""
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows(n, seed))
    return path


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: viasna_rows.py OUT.csv N [SEED]")
    write_rows(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 0)
