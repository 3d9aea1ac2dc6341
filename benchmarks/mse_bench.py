"""Benchmark `vigil estimate` on Kosovo 1999 beside the published figures (PROVENANCE.md).

Prints, for the log-linear search and for LCMCR (default settings, several seeds, and one long
run), the estimate, its 95% interval, convergence diagnostics and the wall and CPU time, with
the published anchors: Silverman, Chan & Vincent (2024) 10,357 [7,133, 18,681]; Ball et al.
(2002) 10,356 [9,002, 12,122]; the Kosovo Memory Book's near-census 10,401; the deterministic
log-linear range 7,394.6 (independence) – 14,402.5 (all two-way terms).

    python benchmarks/mse_bench.py [--seeds 1,2,3] [--long]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from vigil.counting import estimate, read_overlap_table  # noqa: E402
from vigil.counting.lcmcr import LcmcrSettings  # noqa: E402

DATA = Path(os.environ.get("VIGIL_SAMPLE_DATA", ROOT.parent / "shared" / "data"))
PUBLISHED = [
    ("Silverman, Chan & Vincent (2024), all lists", "10,357", "7,133 – 18,681"),
    ("Ball et al. (2002)", "10,356", "9,002 – 12,122"),
    ("Kosovo Memory Book (near-census)", "10,401", "—"),
    ("log-linear, independence (deterministic)", "7,394.6", "—"),
    ("log-linear, all two-way terms (deterministic)", "14,402.5", "—"),
]


def _timed(table, **kwargs):  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    result = estimate(table, **kwargs)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _row(label: str, result, wall: float, cpu: float) -> str:  # type: ignore[no-untyped-def]
    low, high = result.interval
    extra = ""
    if result.method == "lcmcr":
        m = result.models[0]
        extra = f"ESS {m['ess']}, split R-hat {m['split_rhat']}, Geweke z {m['geweke_z']}"
    else:
        extra = f"AIC choice: {', '.join(result.models[0]['terms'])}"
    return (
        f"| {label} | {result.estimate:,.0f} | {low:,.0f} – {high:,.0f} | "
        f"{wall:.1f} s ({cpu:.1f} s CPU) | {extra} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--long", action="store_true", help="also a 4 × longer LCMCR run")
    args = parser.parse_args()
    table = read_overlap_table(DATA / "mse" / "kosovo_1999_4lists.csv")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}; Python {platform.python_version()}")
    print(f"Kosovo 1999: {table.observed:,} observed on {len(table.lists)} lists\n")
    print("| run | estimate | 95% interval | time | notes |\n|---|---|---|---|---|")
    result, wall, cpu = _timed(table, method="loglinear")
    print(_row("log-linear (64 models, AIC; profile likelihood)", result, wall, cpu))
    top = [m["estimate"] for m in result.models[:5]]
    print(f"| log-linear: the 5 best models by AIC | {min(top):,.0f} – {max(top):,.0f} | | | |")
    for seed in (int(s) for s in args.seeds.split(",")):
        result, wall, cpu = _timed(table, method="lcmcr", seed=seed)
        print(_row(f"LCMCR, default settings, seed {seed}", result, wall, cpu))
    if args.long:
        settings = LcmcrSettings(burn_in=20_000, samples=4_000, thin=10)
        result, wall, cpu = _timed(table, method="lcmcr", seed=7, lcmcr_settings=settings)
        label = "LCMCR, burn-in 20,000, 4 chains × 4,000 draws thinned by 10, seed 7"
        print(_row(label, result, wall, cpu))
    print("\n| published | estimate | 95% interval |\n|---|---|---|")
    for label, value, interval in PUBLISHED:
        print(f"| {label} | {value} | {interval} |")


if __name__ == "__main__":
    main()
