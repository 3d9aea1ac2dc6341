"""Benchmark `vigil link` on cross-script list pairs from the EU 765/2006 list (odd half only).

For each seed, one list holds a random 70% of the odd-recordId persons in their
Belarusian-Latin form, another a different random 70% in their Russian-Cyrillic form, birth
dates on half of the rows (`tests/counting/eu_lists.py`). Prints pairwise precision, recall
and F1 of the matches, the pairs compared against all possible, the estimated blocking recall
and the time. The even-recordId half is held out and never read.

    python benchmarks/link_bench.py [--seeds 765,1,2,3,4]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.counting.eu_lists import write_list_pair  # noqa: E402

from vigil.counting.link import link, pairwise_f1  # noqa: E402
from vigil.counting.person_lists import read_person_list  # noqa: E402

DATA = Path(os.environ.get("VIGIL_SAMPLE_DATA", ROOT.parent / "shared" / "data"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="765,1,2,3,4")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}; Python {platform.python_version()}\n")
    print("| seed | left × right | true pairs | compared / possible | blocking recall (est.) "
          "| precision | recall | F1 | time (wall / CPU) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for seed in (int(s) for s in args.seeds.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            truth = write_list_pair(DATA, Path(folder), seed=seed)
            left = read_person_list(Path(folder) / "left.csv")
            right = read_person_list(Path(folder) / "right.csv")
        wall, cpu = time.perf_counter(), time.process_time()
        result = link(left, right)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        found = {(p.left, p.right) for p in result.pairs if p.match}
        score = pairwise_f1(found, truth)
        print(f"| {seed} | {len(left)} × {len(right)} | {len(truth)} | "
              f"{result.compared:,} / {result.possible:,} | {result.blocking_recall:.1%} | "
              f"{score['precision']:.3f} | {score['recall']:.3f} | {score['f1']:.3f} | "
              f"{wall:.2f} s / {cpu:.2f} s |")


if __name__ == "__main__":
    main()
