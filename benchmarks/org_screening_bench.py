"""Organisation screening speed on OFAC's legal entities (docs/benchmarks.md §11).

    python benchmarks/org_screening_bench.py [--data ../shared/data] [--brute 40]

Builds the organisation index (`vigil.names.org_index.OrgIndex`) over every non-individual,
non-vessel, non-aircraft SDN entry with its aliases, then times searches at the review
threshold: every 10th entity's primary name (it must find itself), and perpetrator-style names
in Cyrillic. For ``--brute`` names of entries drawn at random (seed 1) and those Cyrillic
names it also scores every indexed name in full, to count what the blocking step misses.
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from pathlib import Path

from vigil.names import REVIEW_THRESHOLD, compare_organisations
from vigil.names.org_index import OrgIndex, OrgRecord

EMPTY = "-0-"
PERPETRATORS = [
    "ОАО «Беларуськалий»",
    "КГБ",
    "Комитет государственной безопасности Республики Беларусь",
    "ААТ «Гродна Азот»",
    "ОАО «Нафтан»",
    "ГУБОПиК МВД",
    "Центр изоляции правонарушителей на Окрестина",
    "Мінскі гарадскі суд",
    "Bank of Armenia",
]


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="latin-1", newline="") as fh:
        return [
            [c.strip() if c.strip() != EMPTY else "" for c in row]
            for row in csv.reader(fh)
            if row and row[0].strip() not in ("", "\x1a")
        ]


def load_entities(folder: Path) -> list[OrgRecord]:
    names: dict[str, list[str]] = {}
    for row in _rows(folder / "sdn.csv"):
        if len(row) > 3 and row[1] and row[2] == "":
            names[row[0]] = [row[1]]
    for row in _rows(folder / "alt.csv"):
        if len(row) > 3 and row[0] in names and row[3]:
            names[row[0]].append(row[3])
    return [OrgRecord(uid, forms) for uid, forms in names.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path(__file__).parents[2] / "shared" / "data")
    parser.add_argument("--brute", type=int, default=48)
    args = parser.parse_args()
    records = load_entities(args.data / "ofac")
    forms = sum(len(r.names) for r in records)
    start = time.process_time()
    index = OrgIndex(records)
    build = time.process_time() - start
    print(f"{len(records)} OFAC legal entities, {forms} names; index built in {build:.2f} s")
    own = [(r.names[0], r.entity_id) for r in records[::10]]
    start = time.process_time()
    found = sum(
        1
        for query, truth in own
        if any(c.entity_id == truth for c in index.search(query, threshold=REVIEW_THRESHOLD))
    )
    spent = time.process_time() - start
    print(
        f"{len(own)} entities' own names: {found} found themselves; "
        f"{1000 * spent / len(own):.1f} ms a query"
    )
    start = time.process_time()
    for query in PERPETRATORS:
        hits = index.search(query, threshold=REVIEW_THRESHOLD, limit=3)
        print(f"  {query}: " + "; ".join(f"{c.form} {c.score:.2f}" for c in hits))
    spent = time.process_time() - start
    print(f"perpetrator-style names: {1000 * spent / len(PERPETRATORS):.1f} ms a query")
    # Any name (primary or alias) of entries drawn at random, and the perpetrator-style names.
    rng = random.Random(1)
    queries = [rng.choice(r.names) for r in rng.sample(records, args.brute)] + PERPETRATORS
    missed = []
    start = time.process_time()
    for query in queries:
        blocked = {c.entity_id for c in index.search(query, threshold=REVIEW_THRESHOLD, limit=999)}
        for record in records:
            best = max(compare_organisations(query, n).score for n in record.names)
            if best >= REVIEW_THRESHOLD and record.entity_id not in blocked:
                missed.append((query, record.names[0], best))
    spent = time.process_time() - start
    print(
        f"full scan of {len(queries)} queries: {spent / len(queries):.2f} s a query; "
        f"hits at or above {REVIEW_THRESHOLD} the blocking missed: {len(missed)}"
    )
    for query, name, score in missed:
        print(f"  {query} ~ {name} {score:.2f}")


if __name__ == "__main__":
    main()
