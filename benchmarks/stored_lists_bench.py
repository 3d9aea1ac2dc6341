"""Benchmark stored lists: import two cross-script lists, link them, estimate from the run.

In a fresh database (encrypted SQLite, or a new PostgreSQL database with ``--postgres URL``),
each step is the real CLI in a fresh process (start-up included): `vigil lists add` of the EU
765/2006 cross-script pair (the odd-recordId half: one list in Belarusian-Latin, the other in
Russian-Cyrillic, birth dates on half the rows; tests/counting/eu_lists.py), the same add again
(must change nothing), `vigil lists link`, and `vigil lists estimate`. The matches the stored
run keeps are scored against the truth (pairwise F1), beside `vigil link` on the same files in
the same run (the anchor: storing must not change what is linked). Reads ``../shared/data``.

    python benchmarks/stored_lists_bench.py [--postgres postgres://USER@HOST:PORT/DB] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from pathlib import Path

from import_bench import VIGIL, fresh_database, measure

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = Path(os.environ.get("VIGIL_SAMPLE_DATA", ROOT.parent / "shared" / "data"))
USER = "fictional-bench-analyst"
MAP = "id=id,name=name,birth_date=birth_date,sex=sex"


BIG = 5000


def _fictional(path: Path, rows: int) -> None:
    """A list of invented syllable names (never real persons), birth dates on half."""
    import random

    rng = random.Random(7)
    syllables = ["ka", "lo", "mir", "zan", "tu", "vel", "dor", "shi", "ra", "bek", "nu", "gal"]
    lines = ["id,name,birth_date"]
    for n in range(rows):
        name = f"Fictional {''.join(rng.sample(syllables, 3)).upper()}"
        birth = f"19{rng.randint(40, 99)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
        lines.append(f"f{n},{name},{birth if n % 2 else ''}")
    path.write_text("\n".join(lines) + "\n")


def _f1(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> float:
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def main() -> None:
    from tests.counting.eu_lists import write_list_pair

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="a PostgreSQL server's URL (a database is created)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not (DATA / "sanctions" / "eu_reg_765_2006_annexI.csv").is_file():
        sys.exit(f"{DATA}: the EU list is not there (set VIGIL_SAMPLE_DATA)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        truth = write_list_pair(DATA, folder)
        left, right = folder / "left.csv", folder / "right.csv"
        rows = sum(1 for _ in left.open()) - 1, sum(1 for _ in right.open()) - 1
        env = fresh_database(folder, "stored_lists_bench", args.postgres)
        create = f"from vigil.accounts.models import User; User.objects.create_user({USER!r}, role='analyst')"  # noqa: E501
        measure([*VIGIL, "shell", "-c", create], env, "create user")
        anchor = measure([*VIGIL, "link", str(left), str(right), "--json"], env, "vigil link")
        add = [*VIGIL, "lists", "--as", USER, "add"]
        first = measure([*add, "EU BE-Latin", str(left), "--date", "2026-07-17", "--map", MAP],
                        env, "add left")
        measure([*add, "EU RU-Cyrillic", str(right), "--date", "2026-07-17", "--map", MAP],
                env, "add right")
        again = measure([*add, "EU BE-Latin", str(left), "--date", "2026-07-17", "--map", MAP],
                        env, "add left again")
        linked = measure([*VIGIL, "lists", "--as", USER, "link", "EU BE-Latin",
                          "EU RU-Cyrillic"], env, "lists link")
        run = linked.stdout.split()[2].rstrip(":")
        review = measure([*VIGIL, "lists", "--as", USER, "review", run, "--all", "--json"],
                         env, "lists review")
        estimated = measure([*VIGIL, "lists", "--as", USER, "estimate", run, "--seed", "1",
                             "--json"], env, "lists estimate")
        startup = measure([*VIGIL, "lists", "--as", USER], env, "lists (start-up)")
        big = folder / "fictional.csv"
        _fictional(big, BIG)
        bulk = measure([*add, "Fictional bulk", str(big), "--date", "2026-07-17", "--map",
                        "id=id,name=name,birth_date=birth_date"], env, "add bulk")
    stored = {(p["left"]["key"], p["right"]["key"])
              for p in map(json.loads, review.stdout.splitlines()) if p["match"]}
    plain = {(p["left"], p["right"])
             for p in map(json.loads, anchor.stdout.splitlines()) if p["match"]}
    result = json.loads(estimated.stdout)
    figures = {
        "backend": "postgresql" if args.postgres else "encrypted sqlite",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}",
        "rows": f"{rows[0]} + {rows[1]}",
        "add_s": round(first.wall, 2),
        "add_again_s": round(again.wall, 2),
        "add_again_says": again.stdout.split(" list")[0],
        "link_run_s": round(linked.wall, 2),
        "vigil_link_s (anchor)": round(anchor.wall, 2),
        "stored_run_f1": round(_f1(stored, truth), 4),
        "vigil_link_f1 (anchor)": round(_f1(plain, truth), 4),
        "same_matches_as_vigil_link": stored == plain,
        "estimate_s": round(estimated.wall, 2),
        "start_up_s (vigil lists)": round(startup.wall, 2),
        f"add_{BIG}_fictional_rows_s": round(bulk.wall, 2),
        "rows_per_s_after_start_up": round(BIG / max(bulk.wall - startup.wall, 1e-3)),
        "observed": result["observed"],
        "estimate": round(result["estimate"], 1),
        "interval": [round(x, 1) for x in result["interval"]],
    }
    if args.json:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
        return
    for key, value in figures.items():
        print(f"{key:>28}: {value}")


if __name__ == "__main__":
    main()
