"""gunicorn layouts (workers × threads) of `vigil serve` under 16 clients, interleaved.

Serves a benchmark database (as ``web_bench.py --reuse DIR`` left it: its plan gives the
URLs and sessions) with each layout in turn, runs wrk's 16 keep-alive clients on the list
and the name search for ``--seconds`` each, and repeats the whole round ``--rounds`` times so
that every layout sees the same machine. Reports requests/s, p50/p95 and the server's CPU per
request (its processes' CPU over the run, divided by the requests served): on a machine shared
with other work the throughput swings with the machine, the CPU per request much less.

    python benchmarks/web_layouts.py --reuse DIR [--postgres --pg-port P] \
        [--layouts 2x4 2x1 3x1 4x1 2x2 3x2] [--rounds 2] [--seconds 8]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from web_data import ROOT, VIGIL, postgres_demo, sqlite_demo  # noqa: E402
from web_load import Server, concurrent, free_port  # noqa: E402

LAYOUTS = ("2x4", "2x1", "3x1", "4x1", "2x2", "3x2")
PAGES = ("list", "search")


def fresh_plan(backend: Any, clients: int) -> dict[str, Any]:
    """The benchmark's plan for this database with new sessions (``web_plan.py``)."""
    out = backend.folder.parent / f"web-bench-plan-{backend.name}.json"
    argv = [sys.executable, str(ROOT / "benchmarks" / "web_plan.py"), str(out)]
    if out.exists():
        argv.append("--refresh-sessions")
    argv += ["--sessions", str(clients + 1)]
    subprocess.run(argv, env=backend.env, check=True, cwd=ROOT)  # noqa: S603
    plan: dict[str, Any] = json.loads(out.read_text())
    return plan


def run_layout(
    backend: Any, plan: dict[str, Any], layout: str, clients: int, seconds: int
) -> dict[str, Any]:
    workers, threads = (int(n) for n in layout.split("x"))
    port = free_port()
    argv = [*VIGIL, "serve", "--port", str(port), "--workers", str(workers)]
    server = Server([*argv, "--threads", str(threads)], backend.env, port, "/accounts/login/")
    cookies = [f"{plan['cookie_name']}={key}" for key in plan["sessions"]][:clients]
    found = {}
    try:
        for page in PAGES:
            figures = concurrent(port, plan["urls"][page], cookies, server, clients, seconds)
            found[page] = {
                "rps": figures.rps,
                "p50_ms": figures.p50_ms,
                "p95_ms": figures.p95_ms,
                "errors": figures.errors,
                "cpu_ms_per_request": 1000 * figures.server_cpu / max(figures.rps, 1e-9),
                "machine_busy": figures.machine_busy,
                "split": figures.split,
            }
    finally:
        server.stop()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuse", type=Path, required=True, help="web_bench.py's folder")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--pg-port", type=int, default=55439)
    parser.add_argument("--layouts", nargs="+", default=list(LAYOUTS))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    build = partial(postgres_demo, port=args.pg_port) if args.postgres else sqlite_demo
    backend = build(args.reuse, 0, reuse=True)
    plan = fresh_plan(backend, args.clients)
    runs: dict[str, list[dict[str, Any]]] = {layout: [] for layout in args.layouts}
    for n in range(args.rounds):
        for layout in args.layouts:
            runs[layout].append(run_layout(backend, plan, layout, args.clients, args.seconds))
            row = runs[layout][-1]
            print(
                f"  round {n + 1} {layout}: "
                + ", ".join(
                    f"{p} {row[p]['rps']:.0f}/s {row[p]['cpu_ms_per_request']:.1f} ms CPU "
                    f"(connections per worker {'/'.join(map(str, row[p]['split']))})"
                    for p in PAGES
                ),
                file=sys.stderr,
            )
    if args.json:
        print(json.dumps(runs, indent=1))
        return
    print("| layout | " + " | ".join(f"{p} req/s (runs) | {p} p95 ms | {p} CPU ms/request"
                                      for p in PAGES) + " | errors |")  # fmt: skip
    print("|---|" + "---:|---:|---:|" * len(PAGES) + "---:|")
    for layout, rows in runs.items():
        cells = []
        for p in PAGES:
            rps = [r[p]["rps"] for r in rows]
            cells += [
                f"{statistics.median(rps):.0f} ({' / '.join(f'{x:.0f}' for x in rps)})",
                f"{statistics.median(r[p]['p95_ms'] for r in rows):.0f}",
                f"{statistics.median(r[p]['cpu_ms_per_request'] for r in rows):.1f}",
            ]
        errors = sum(r[p]["errors"] for r in rows for p in PAGES)
        print(f"| {layout} | " + " | ".join(cells) + f" | {errors} |")


if __name__ == "__main__":
    main()
