"""A cross-script pair of person lists built from one half of the EU 765/2006 list.

The odd-recordId half is the one linkage was tuned on (tests and `benchmarks/link_bench.py`);
the even half is held out and read only by the held-out check in
`benchmarks/link_anchor_bench.py`. One list holds a random
70% of the persons in their Belarusian-Latin form, the other a different random 70% in their
Russian-Cyrillic form; birth dates on about half of the rows, sex on all.
"""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

_CYRILLIC = re.compile(r"[А-Яа-яЁёІіЎў]")


def _one_form(text: str) -> str:
    """'Iury SIVAKAU (Yuri SIVAKAU, SIVAKOU)' → 'Iury SIVAKAU'; 'Aleh M., BELIAKOU' keeps all."""
    text = re.sub(r"\([^)]*\)", " ", text)
    head, _, tail = text.partition(",")
    if tail and len(tail.split()) == 1 and any(t.isupper() and len(t) > 1 for t in head.split()):
        text = head  # the head has its surname: the tail is another spelling of it
    return " ".join(text.replace(",", " ").split())


def odd_half_persons(
    shared_data: Path, half: str = "odd"
) -> list[tuple[str, str, str, str, str]]:
    """(recordId, BE-Latin name, RU-Cyrillic name, birth date, gender) of one half's persons
    (``half`` "odd", the tuning half, by default; "even" is the held-out half)."""
    if half not in ("odd", "even"):
        raise ValueError(f"half must be odd or even, not {half!r}")
    path = shared_data / "sanctions" / "eu_reg_765_2006_annexI.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    out = []
    for row in rows:
        record = row["recordId"]
        if row["schema"] != "Person" or row["annex"] != "I.A" or not record.isdigit():
            continue
        if int(record) % 2 != (1 if half == "odd" else 0):
            continue  # the other half
        cyrillic = [_one_form(a) for a in row["alias"].split(";") if _CYRILLIC.search(a)]
        if cyrillic:
            latin = _one_form(row["name"])
            out.append((record, latin, cyrillic[-1], row["birthDate"], row["gender"]))
    return out


def write_list_pair(
    shared_data: Path, folder: Path, seed: int = 765, half: str = "odd"
) -> set[tuple[str, str]]:
    """Write left.csv (BE-Latin) and right.csv (RU-Cyrillic); return the true (left, right) ids."""
    persons = odd_half_persons(shared_data, half)
    rng = random.Random(seed)
    size = round(0.7 * len(persons))
    left, right = rng.sample(persons, size), rng.sample(persons, size)
    for name, people, form, prefix in (("left.csv", left, 1, "L"), ("right.csv", right, 2, "R")):
        with (folder / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "name", "birth_date", "sex"])
            for person in people:
                birth = person[3] if rng.random() < 0.5 else ""
                writer.writerow([f"{prefix}{person[0]}", person[form], birth, person[4]])
    both = {p[0] for p in left} & {p[0] for p in right}
    return {(f"L{r}", f"R{r}") for r in both}
