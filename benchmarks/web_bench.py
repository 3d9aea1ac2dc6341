"""Benchmark browsing and search: Vigil's pages against a bare view running the same SQL.

Builds (or reuses) the demo with ``--persons`` synthetic persons (about three acts each) on
encrypted SQLite and, with ``--postgres``, on a throwaway PostgreSQL cluster; serves it with
``vigil serve`` (gunicorn: its default layout, or ``--workers`` × ``--threads``) and, beside
it, a bare Django server (2 workers × 4 threads) on the same database whose one view
replays each page's captured SELECT statements and returns their rows as JSON
(``web_bare_urls.py``). For each scenario — the person list, a filtered list, a profile with
its timeline, a name search — it measures, alternating Vigil and the bare server:

- one client: ``--requests`` sequential GETs on one keep-alive connection (p50/p95);
- ``--clients`` concurrent clients: wrk, one thread and one signed-in session per connection,
  for ``--seconds`` (p50/p95 from wrk's latency histogram, requests/s, errors, wrk's CPU).
  wrk must be on the PATH (Debian: ``apt-get install wrk``).

Targets (docs/benchmarks.md): p95 <= 100 ms single client, <= 3x the bare view, >= 200
requests/s at 16 clients, no errors.

    python benchmarks/web_bench.py [--persons 100000] [--reuse DIR] [--postgres] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import web_load  # noqa: E402
from web_data import ROOT, VIGIL, Backend, postgres_demo, sqlite_demo, stop_postgres  # noqa: E402
from web_load import Figures, Server, concurrent, free_port, sequential  # noqa: E402

SCENARIOS = ("list", "filtered", "profile", "search")
# Issue 14 §2: p95 ≤ 100 ms with one client (the list filtered by custody ≤ 300 ms), ≤ 3× the
# bare view, ≥ 200 requests/s under 16 clients on the list and the search.
TARGET_P95_MS = 100.0
TARGET_P95_MS_OF = {"filtered": 300.0}
TARGET_RATIO = 3.0
TARGET_RPS = 200.0
RPS_PAGES = ("list", "search")
DEFAULT_FILTER = "act_type=sentence&date_from=2023-01-01&custody=in_custody"


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def tree_stamp() -> float:
    """The newest modification time of Vigil's Python sources (the tree moves while we run)."""
    return max(f.stat().st_mtime for f in (ROOT / "src" / "vigil").rglob("*.py"))


def make_plan(backend: Backend, args: argparse.Namespace) -> dict[str, Any]:
    """Run ``web_plan.py`` against the backend's database and read the plan it wrote."""
    out = backend.folder.parent / f"web-bench-plan-{backend.name}.json"
    argv = [sys.executable, str(ROOT / "benchmarks" / "web_plan.py"), str(out)]
    if args.reuse_plan and out.exists():
        argv.append("--refresh-sessions")  # same URLs and SQL, new sessions
    argv += ["--filter", args.filter, "--sessions", str(args.clients + 1)]
    argv += ["--rotation", *args.rotation]
    subprocess.run(argv, env=backend.env, check=True, cwd=ROOT)  # noqa: S603
    plan: dict[str, Any] = json.loads(out.read_text())
    plan["path"] = str(out)
    plan["tree_stamp"] = out.stat().st_mtime if args.reuse_plan else tree_stamp()
    return plan


def start_servers(
    backend: Backend, plan: dict[str, Any], layout: tuple[int, int] | None = None
) -> tuple[Server, Server]:
    """Vigil (``vigil serve``, its default layout unless ``layout`` = (workers, threads)) and
    the bare baseline (2 gthread workers of 4 threads)."""
    port = free_port()
    serve = [*VIGIL, "serve", "--port", str(port)]
    if layout is not None:
        serve += ["--workers", str(layout[0]), "--threads", str(layout[1])]
    vigil = Server(
        serve,
        backend.env,
        port,
        "/accounts/login/",
    )
    bare_port = free_port()
    bare_env = {**backend.env, "DJANGO_SETTINGS_MODULE": "web_bare_settings"}
    bare_env["WEB_BENCH_PLAN"] = plan["path"]
    try:
        bare = Server(
            [
                sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{bare_port}",
                "--workers", "2", "--worker-class", "gthread", "--threads", "4",
                "--log-level", "warning", "django.core.wsgi:get_wsgi_application()",
            ],
            bare_env,
            bare_port,
            "/bare/list/0/",
        )  # fmt: skip
    except RuntimeError:
        vigil.stop()
        raise
    return vigil, bare


def measure(backend: Backend, plan: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    """Every scenario on Vigil and on the bare server, alternating, on one backend."""
    layout = (args.workers, args.threads) if args.workers or args.threads else None
    if layout is not None and not all(layout):
        raise SystemExit("web_bench: give --workers and --threads together")
    vigil, bare = start_servers(backend, plan, layout)
    cookie_name = plan["cookie_name"]
    cookies = [f"{cookie_name}={key}" for key in plan["sessions"]]
    found: dict[str, Any] = {}
    try:
        for name in args.scenarios:
            urls = plan["urls"][name]
            bare_urls = [f"/bare/{name}/{i}/" for i in range(len(urls))]
            load = os.getloadavg()[0]
            single = sequential(
                vigil.port, urls, args.requests, cookies[-1], vigil, args.max_seconds
            )
            bare_single = sequential(
                bare.port, bare_urls, args.requests, None, bare, args.max_seconds
            )
            many = concurrent(vigil.port, urls, cookies[:-1], vigil, args.clients, args.seconds)
            bare_many = concurrent(bare.port, bare_urls, [], bare, args.clients, args.seconds)
            pages = plan["pages"][name]
            found[name] = {
                "vigil_single": single.row(),
                "bare_single": bare_single.row(),
                "vigil_concurrent": many.row(),
                "bare_concurrent": bare_many.row(),
                "queries_per_page": statistics.median(p["queries"] for p in pages),
                "writes_per_page": statistics.median(p["writes"] for p in pages),
                "sql_ms_per_page": statistics.median(sum(p["timings"]) * 1000 for p in pages),
                "load_before": load,
            }
            print(f"  {backend.name} {name}: done (load {load:.1f})", file=sys.stderr)
            partial = backend.folder.parent / f"web-bench-partial-{backend.name}.json"
            partial.write_text(json.dumps(found, indent=1))  # a crash keeps what was measured
    finally:
        vigil.stop()
        bare.stop()
    return found


def verdicts(name: str, row: dict[str, Any]) -> dict[str, bool]:
    """Each of the page's targets, met or not (no throughput target but on the list and search)."""
    single, bare = Figures(**row["vigil_single"]), Figures(**row["bare_single"])
    many = Figures(**row["vigil_concurrent"])
    found = {
        "p95": single.p95_ms <= TARGET_P95_MS_OF.get(name, TARGET_P95_MS),
        "ratio": single.p95_ms <= TARGET_RATIO * bare.p95_ms,
        "rps": many.rps >= TARGET_RPS,
        "errors": single.errors == 0 and many.errors == 0,
    }
    if name not in RPS_PAGES:
        del found["rps"]
    return found


def server_ms_per_request(figures: Figures) -> float:
    """CPU milliseconds of Vigil's server processes (gunicorn's master and workers; on
    PostgreSQL not the database server's) per request served under load: what decides the
    requests per second on a quiet machine, whatever else shares its cores."""
    return figures.server_cpu * 1000 / figures.rps if figures.rps else 0.0


def database_ms_per_request(figures: Figures) -> float:
    """CPU milliseconds of the PostgreSQL cluster (on this machine) per request served under
    load; 0 on SQLite, whose work is in the server's figure."""
    return figures.database_cpu * 1000 / figures.rps if figures.rps else 0.0


def table(backend: str, plan: dict[str, Any], found: dict[str, Any]) -> str:
    """The figures of one backend as Markdown."""
    lines = [
        f"### {backend}: {plan['vendor']}, {plan['persons']:,} persons, {plan['acts']:,} acts",
        "",
        "| page | queries (writes) | 1 client p50 / p95 ms (n) | bare p50 / p95 ms | p95 ratio "
        "| 16 clients req/s | p50 / p95 ms | server CPU ms/req | PostgreSQL CPU ms/req "
        "| connections per worker | bare req/s | bare PostgreSQL CPU ms/req | errors | wrk CPU "
        "| targets |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, row in found.items():
        s, b = Figures(**row["vigil_single"]), Figures(**row["bare_single"])
        c, bc = Figures(**row["vigil_concurrent"]), Figures(**row["bare_concurrent"])
        ok = verdicts(name, row)
        marks = " ".join(f"{k} {'ok' if v else 'MISSED'}" for k, v in ok.items())
        lines.append(
            f"| {name} | {row['queries_per_page']:.0f} ({row['writes_per_page']:.0f}) "
            f"| {s.p50_ms:.0f} / {s.p95_ms:.0f} ({s.requests}) | {b.p50_ms:.1f} / {b.p95_ms:.1f} "
            f"| {s.p95_ms / max(b.p95_ms, 0.001):.1f}× | {c.rps:.0f} "
            f"| {c.p50_ms:.0f} / {c.p95_ms:.0f} | {server_ms_per_request(c):.1f} "
            f"| {database_ms_per_request(c):.1f} | {'/'.join(map(str, c.split)) or '-'} "
            f"| {bc.rps:.0f} | {database_ms_per_request(bc):.1f} "
            f"| {s.errors + c.errors} "
            f"| {c.load_cpu:.0%} | {marks} |"
        )
    if plan.get("tree_changed"):
        lines.append(
            "\nWARNING: Vigil's sources changed between the SQL capture and the end of the "
            "run; the bare view may have replayed other SQL than Vigil ran (ratios unreliable)."
        )
    if not plan["filter_applied"]:
        lines.append(
            f"\nThe filter `{plan['filter_query']}` did not change the list: the filtered "
            "figures are the plain list's."
        )
    lines.append(f"\nName searches that found a person: {plan['search_hits']} of "
                 f"{len(plan['urls']['search'])}.")  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--reuse", type=Path, help="use (and keep) the databases in this folder")
    parser.add_argument("--dir", type=Path, help="build into this folder (default: temporary)")
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL")
    parser.add_argument("--no-sqlite", action="store_true", help="only PostgreSQL")
    parser.add_argument("--pg-port", type=int, default=55439, help="the throwaway cluster's port")
    parser.add_argument("--requests", type=int, default=200, help="sequential requests per page")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, help="Vigil's workers (default: vigil serve's)")
    parser.add_argument("--threads", type=int, help="threads of each of Vigil's workers")
    parser.add_argument("--seconds", type=int, default=20, help="wrk duration per page")
    parser.add_argument("--filter", default=DEFAULT_FILTER, help="query of the filtered list")
    parser.add_argument("--scenarios", nargs="+", choices=SCENARIOS, default=list(SCENARIOS))
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.add_argument(
        "--max-seconds", type=float, default=120, help="cap on each single-client run"
    )
    parser.add_argument("--rotation", nargs="*", default=[], help="URLs per page, e.g. profile=8")
    parser.add_argument(
        "--reuse-plan", action="store_true", help="keep the URLs and SQL of the last plan"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:  # the 16-client load; checked before a long demo build
        parser.error("the 16-client load needs wrk on the PATH (Debian: apt-get install wrk)")
    base = args.reuse or args.dir or Path(tempfile.mkdtemp(prefix="vigil-web-bench-"))
    reuse = args.reuse is not None
    results: dict[str, Any] = {
        "machine": {
            "cores": os.cpu_count(),
            "cpu": cpu_model(),
            "load_at_start": os.getloadavg(),
            "python": platform.python_version(),
        },
        "backends": {},
    }
    builders = [] if args.no_sqlite else [("sqlite", sqlite_demo)]
    if args.postgres:
        builders.append(("postgres", partial(postgres_demo, port=args.pg_port)))
    try:
        for name, build in builders:
            print(f"{name}: preparing the database in {base} ...", file=sys.stderr)
            backend = build(base, args.persons, reuse=reuse)
            web_load.DATABASE_PORT = args.pg_port if name == "postgres" else None
            plan = make_plan(backend, args)
            found = measure(backend, plan, args)
            # The bare view replays the SQL captured for the plan: if the code changed since,
            # Vigil may have run other SQL, and the ratio compares different work.
            plan["tree_changed"] = tree_stamp() > plan["tree_stamp"]
            results["backends"][name] = {
                "build_seconds": backend.build_seconds,
                "plan": {k: plan[k] for k in ("vendor", "persons", "acts", "filter_query",
                                               "filter_applied", "search_hits", "urls",
                                               "tree_changed")},
                "pages": found,
            }  # fmt: skip
            if not args.json:
                print(table(name, plan, found))
                if backend.build_seconds:
                    print(f"\nDemo build ({args.persons:,} synthetic persons): "
                          f"{backend.build_seconds:.0f} s")  # fmt: skip
                print()
    finally:
        if args.postgres and not reuse:
            stop_postgres(args.pg_port)
    results["machine"]["load_at_end"] = os.getloadavg()
    if args.json:
        print(json.dumps(results, indent=1))
    else:
        m = results["machine"]
        start, end = m["load_at_start"][0], m["load_at_end"][0]
        print(f"machine: {m['cores']} cores, {m['cpu']}, Python {m['python']}, "
              f"load average {start:.1f} at start, {end:.1f} at end")  # fmt: skip


if __name__ == "__main__":
    main()
