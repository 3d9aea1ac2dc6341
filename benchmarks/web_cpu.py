"""CPU per request through Vigil's whole stack, in one process: where a page's time goes.

Runs Django's test client against a benchmark database (settings from the environment, as
``web_explain.py``) as the benchmark's analyst, whose session has passed 2FA, and measures
the process's CPU time (``time.process_time``: on SQLite the database's own work is included,
on PostgreSQL only the client side) per request for:

- ``blank``: a signed-in page with nothing in it (the base template, behind ``login_required``):
  what every request pays — middleware, session, 2FA and session-limit checks, the user,
  language, CSP, context processors and the page frame;
- ``list``: ``/persons/?page=1..10``;
- ``search``: the name searches of ``web_plan.py`` (20 names, full names and surnames).

CPU time, not wall time, so that a machine shared with other work still compares trees:
run it on two checkouts against one database, alternating, and compare the medians.

    VIGIL_DATA_DIR=DIR/demo python benchmarks/web_cpu.py [--rounds 5] [--profile search] [--json]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

PAGES = ("blank", "list", "search")
BLANK = "/bench/blank/"


def blank_urls() -> list[Any]:
    """Vigil's URLs plus the blank signed-in page."""
    from django.contrib.auth.decorators import login_required
    from django.shortcuts import render
    from django.urls import include, path

    @login_required
    def blank(request: Any) -> Any:
        return render(request, "base.html")

    return [path(BLANK.strip("/") + "/", blank), path("", include("vigil.urls"))]


urlpatterns: list[Any] = []  # filled in main(): this module is the URL conf while it runs


def page_urls(rotation: int) -> dict[str, list[str]]:
    """The URLs of each page group (the search's names are those web_plan.py picks)."""
    from web_plan import ROTATION, scenario_urls

    urls = scenario_urls("", {**ROTATION, "search": rotation})
    return {
        "blank": [BLANK] * 10,
        "list": [f"/persons/?page={n}" for n in range(1, 11)],
        "search": urls["search"],
    }


def signed_in_client() -> Any:
    from django.conf import settings
    from django.test import Client

    from web_plan import bench_user, verified_session

    client = Client(SERVER_NAME="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = verified_session(bench_user("analyst"))
    return client


def fetch(client: Any, url: str) -> Any:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"web_cpu: {url} answered {response.status_code}")
    return response


def queries_of(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fetch(client, url)
    return len(captured.captured_queries)


def measure(client: Any, urls: list[str], rounds: int) -> list[float]:
    """CPU milliseconds of each request, ``rounds`` times over ``urls`` (after one warm-up)."""
    for url in urls:
        fetch(client, url)
    found = []
    for _ in range(rounds):
        for url in urls:
            start = time.process_time()
            fetch(client, url)
            found.append((time.process_time() - start) * 1000)
    return found


def profile(client: Any, urls: list[str], rounds: int, limit: int) -> str:
    for url in urls:
        fetch(client, url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        for url in urls:
            fetch(client, url)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(limit)
    stats.sort_stats("tottime").print_stats(limit)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", nargs="+", choices=PAGES, default=list(PAGES))
    parser.add_argument("--rounds", type=int, default=5, help="passes over each page's URLs")
    parser.add_argument("--searches", type=int, default=20, help="name searches")
    parser.add_argument("--profile", choices=PAGES, help="print a cProfile of this page instead")
    parser.add_argument("--limit", type=int, default=45, help="profile lines")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    import django
    from django.conf import settings

    django.setup()
    urlpatterns.extend(blank_urls())
    settings.ROOT_URLCONF = __name__
    from django.urls import clear_url_caches

    clear_url_caches()
    client = signed_in_client()
    urls = page_urls(args.searches)
    if args.profile:
        print(profile(client, urls[args.profile], args.rounds, args.limit))
        return
    found: dict[str, Any] = {}
    for name in args.pages:
        cpu = measure(client, urls[name], args.rounds)
        found[name] = {
            "requests": len(cpu),
            "cpu_ms_median": round(statistics.median(cpu), 2),
            "cpu_ms_mean": round(statistics.fmean(cpu), 2),
            "queries": queries_of(client, urls[name][0]),
        }
    if args.json:
        print(json.dumps(found))
        return
    for name, row in found.items():
        print(
            f"{name:7} {row['requests']:4} requests  CPU median {row['cpu_ms_median']:7.2f} ms"
            f"  mean {row['cpu_ms_mean']:7.2f} ms  queries {row['queries']}"
        )


if __name__ == "__main__":
    main()
