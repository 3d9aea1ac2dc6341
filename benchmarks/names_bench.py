"""Name pairs of every kind and origin: Vigil's `names compare` against nomenklatura logic-v2.

Run with the bench virtualenv (vigil installed with --no-deps, plus the `bench` extra):
    .venv-bench/bin/python benchmarks/names_bench.py [--no-baseline]

Reads the development sets `tests/names/data/person_pairs.csv` and `org_pairs.csv`
(name1,name2,match), scores every pair with Vigil (kind guessed per name, as the command does)
and with logic-v2 in the same run, and prints precision, recall, F1 and time per pair for each
set. Thresholds: Vigil's OPERATING_THRESHOLD, logic-v2's 0.70 (as in benchmarks.md §1).
"""

from __future__ import annotations

import argparse
import csv
import time
from collections.abc import Callable
from pathlib import Path

from vigil.names import OPERATING_THRESHOLD
from vigil.names.kinds import ORGANISATION, compare_names

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "person": ROOT / "tests" / "names" / "data" / "person_pairs.csv",
    "organisation": ROOT / "tests" / "names" / "data" / "org_pairs.csv",
}
LOGIC_V2_THRESHOLD = 0.70
Pair = tuple[str, str, bool]


def read_pairs(path: Path) -> list[Pair]:
    """(name1, name2, is a match) from a labelled CSV."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    truthy = {"1", "match", "yes", "true"}
    return [(r["name1"], r["name2"], r["match"].strip().casefold() in truthy) for r in rows]


def tally(pairs: list[Pair], score: Callable[[str, str], float], threshold: float) -> dict:
    """Precision, recall, F1 and milliseconds a pair of one scorer on one set."""
    tp = fp = fn = tn = 0
    started = time.process_time()
    for a, b, truth in pairs:
        found = score(a, b) >= threshold
        tp += found and truth
        fp += found and not truth
        fn += truth and not found
        tn += not found and not truth
    elapsed = time.process_time() - started
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision, "recall": recall, "f1": f1,
        "counts": f"{tp} / {fp} / {fn} / {tn}", "ms": 1000 * elapsed / max(1, len(pairs)),
    }


def logic_v2(kind: str) -> Callable[[str, str], float]:
    """A scorer that builds two followthemoney entities of the set's kind and asks logic-v2."""
    from followthemoney import model
    from nomenklatura.matching import get_algorithm

    algorithm = get_algorithm("logic-v2")
    if algorithm is None:
        raise RuntimeError("nomenklatura has no logic-v2")
    config = algorithm.default_config()
    schema = "Organization" if kind == ORGANISATION else "Person"
    counter = iter(range(10**9))

    def entity(name: str) -> object:
        made = model.make_entity(schema)
        made.id = f"e{next(counter)}"  # logic-v2 caches by id: a fresh one per name
        made.add("name", name)
        return made

    def score(a: str, b: str) -> float:
        return float(algorithm.compare(entity(a), entity(b), config).score)

    return score


def main() -> int:
    """Print the table for both sets."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-baseline", action="store_true", help="skip nomenklatura")
    args = parser.parse_args()
    baseline = not args.no_baseline
    if baseline:
        try:
            import nomenklatura  # noqa: F401
        except ImportError:
            print("nomenklatura is not installed here: baseline skipped (use .venv-bench)")
            baseline = False
    print("| set | scorer, same run | precision | recall | F1 | TP / FP / FN / TN | ms a pair |")
    print("|---|---|---|---|---|---|---|")
    for kind, path in SETS.items():
        pairs = read_pairs(path)
        scorers: list[tuple[str, Callable[[str, str], float], float]] = [
            ("Vigil `names compare`", lambda a, b: compare_names(a, b).score, OPERATING_THRESHOLD)
        ]
        if baseline:
            scorers.append(("nomenklatura `logic-v2`", logic_v2(kind), LOGIC_V2_THRESHOLD))
        for name, score, threshold in scorers:
            t = tally(pairs, score, threshold)
            print(
                f"| {kind} ({len(pairs)} pairs) | {name} | {t['precision']:.3f} | "
                f"{t['recall']:.3f} | **{t['f1']:.3f}** | {t['counts']} | {t['ms']:.2f} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
