"""How much linkage uncertainty widens an estimate's interval (after Sadinle 2018).

Three simulated lists of fictional records (`tests/counting/synthetic.py`: a known total of
persons caught independently with probabilities 0.30, 0.25 and 0.35), linked with
calibrated probabilities: most pairs of one person's records by a certain link, a share by
two competing links (the true one and one to a wrong record) at 0.6 and 0.4, the true one at
0.6 with chance 0.6, so that a link at p is right with chance p. For each share: the
estimate with the links taken as certain (the point linkage) and with the links resampled
(`vigil.counting.uncertain_links`), its interval and width, and the time.

    python benchmarks/linkage_uncertainty_bench.py [--total 1500] [--draws 20]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.counting.synthetic import simulated_links  # noqa: E402

from vigil.counting import estimate  # noqa: E402
from vigil.counting.lcmcr import LcmcrSettings  # noqa: E402
from vigil.counting.uncertain_links import draw_table, estimate_with_links  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--total", type=int, default=1500)
    parser.add_argument("--draws", type=int, default=20)
    parser.add_argument("--shares", default="0,0.1,0.3")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}; Python {platform.python_version()}")
    print(f"true total {args.total:,}; {args.draws} linkage draws, seed 5\n")
    print("| method | uncertain links | observed (point) | links certain: estimate [interval] "
          "| links resampled: estimate [interval] | width ratio | time |")
    print("|---|---|---|---|---|---|---|")
    quick = LcmcrSettings(burn_in=2000, samples=500, thin=5, chains=2)
    for method, settings in (("loglinear", None), ("lcmcr", quick)):
        for share in (float(s) for s in args.shares.split(",")):
            linked = simulated_links(args.total, uncertain_share=share)
            plain = estimate(draw_table(linked), method=method, seed=5, lcmcr_settings=settings)
            wall = time.perf_counter()
            carried = estimate_with_links(
                linked, method=method, draws=args.draws, seed=5, lcmcr_settings=settings
            )
            wall = time.perf_counter() - wall
            uncertain = carried.linkage["uncertain_links"] if carried.linkage else 0
            width = (carried.interval[1] - carried.interval[0]) / (
                plain.interval[1] - plain.interval[0]
            )
            print(f"| {method} | {share:.0%} ({uncertain:,}) | {plain.observed:,} | "
                  f"{plain.estimate:,.0f} [{plain.interval[0]:,.0f} – {plain.interval[1]:,.0f}] | "
                  f"{carried.estimate:,.0f} [{carried.interval[0]:,.0f} – "
                  f"{carried.interval[1]:,.0f}] | {width:.2f} | {wall:.1f} s |")


if __name__ == "__main__":
    main()
