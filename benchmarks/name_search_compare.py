"""The name search's results on a benchmark database, written down to compare two trees.

    VIGIL_DATA_DIR=... PYTHONPATH=TREE/src python benchmarks/name_search_compare.py dump OUT.json
    python benchmarks/name_search_compare.py diff BEFORE.json AFTER.json

``dump`` runs ``find_persons`` for the 20 names ``web_plan.py`` searches and a few hundred
more drawn (seeded) from the database's stored names — full names in Latin and Cyrillic,
surnames alone, given name and surname, one letter changed, other romanisations of a
Cyrillic name, an initial and a surname — as the benchmark's analyst, viewer and admin
(``bench-ROLE``, created when missing), and writes every hit (person, form, tier, score) with
the CPU time of each search. Run it with one tree's sources, then another's, on the same
database; ``diff`` says which searches differ and compares the CPU time.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

ROLES = ("analyst", "viewer", "admin")


def drawn_queries(count: int, seed: int = 14) -> list[str]:
    """Queries made from stored names: several kinds of each sampled name."""
    from vigil.names import normalise
    from vigil.names.transliterate import latin_variants
    from vigil.records.models import PersonName

    rng = random.Random(seed)
    ids = list(PersonName.objects.order_by("id").values_list("id", flat=True)[:200_000])
    values = PersonName.objects.filter(pk__in=rng.sample(ids, min(count, len(ids))))
    queries: list[str] = []
    for value in sorted(values.values_list("value", flat=True)):
        words = value.split()
        if len(words) < 2:
            queries.append(value)
            continue
        surname = words[-1]
        kind = rng.randrange(6)
        if kind == 0:
            queries.append(value)
        elif kind == 1:
            queries.append(surname)
        elif kind == 2:  # one letter changed in the surname
            i = rng.randrange(1, len(surname))
            letter = rng.choice("aeiounrstlkmабвгдеклмнорст")
            queries.append(f"{words[0]} {surname[:i]}{letter}{surname[i + 1:]}")
        elif kind == 3:  # another romanisation of a Cyrillic name
            tokens = normalise(f"{words[0]} {surname}").split()
            spelt = [sorted(latin_variants(t))[-1] if latin_variants(t) else t for t in tokens]
            queries.append(" ".join(spelt))
        elif kind == 4:
            queries.append(f"{words[0][0]}. {surname}")
        else:
            queries.append(f"{surname} {words[0]}")
    return queries


def plan_queries() -> list[str]:
    """The 20 names of the web benchmark's search scenario."""
    from urllib.parse import parse_qs, urlparse

    from web_plan import ROTATION, scenario_urls

    return [parse_qs(urlparse(u).query)["q"][0] for u in scenario_urls("", ROTATION)["search"]]


def dump(out: Path, count: int) -> None:
    import django

    django.setup()
    from vigil.search.name_search import find_persons
    from vigil.search.sync import catch_up
    from web_plan import bench_user

    catch_up()
    queries = plan_queries() + drawn_queries(count)
    results: dict[str, Any] = {}
    for role in ROLES:
        user = bench_user(role)
        for query in queries:
            find_persons(query, user)  # warm
            start = time.process_time()
            hits = find_persons(query, user)
            seconds = time.process_time() - start
            results[f"{role}\t{query}"] = {
                "cpu": seconds,
                "hits": [[str(h.person_id), h.form, h.tier, round(h.score, 9)] for h in hits],
            }
    out.write_text(json.dumps({"queries": queries, "results": results}, ensure_ascii=False))
    print(f"{len(results)} searches ({len(queries)} queries × {len(ROLES)} roles) → {out}")


def diff(before: Path, after: Path) -> int:
    a = json.loads(before.read_text())["results"]
    b = json.loads(after.read_text())["results"]
    differ = [k for k in a if a[k]["hits"] != b.get(k, {}).get("hits")]
    for key in differ[:20]:
        print("DIFFERS:", key.replace("\t", " | "))
    hits = [len(a[k]["hits"]) for k in a]
    cpu_a = [a[k]["cpu"] * 1000 for k in a]
    cpu_b = [b[k]["cpu"] * 1000 for k in a if k in b]
    print(
        f"{len(a)} searches, {len(differ)} differ; hits per search median {statistics.median(hits)}"
        f" (max {max(hits)}, {sum(1 for h in hits if h == 0)} with none); CPU ms median"
        f" {statistics.median(cpu_a):.1f} → {statistics.median(cpu_b):.1f}, total"
        f" {sum(cpu_a):.0f} → {sum(cpu_b):.0f}"
    )
    return 1 if differ or len(a) != len(b) else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("dump")
    one.add_argument("out", type=Path)
    one.add_argument("--names", type=int, default=300, help="stored names to draw queries from")
    two = sub.add_parser("diff")
    two.add_argument("before", type=Path)
    two.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.out, args.names)
    else:
        sys.exit(diff(args.before, args.after))


if __name__ == "__main__":
    main()
