"""CPU per request through Vigil's whole stack, in one process: where a page's time goes.

Runs Django's test client against a benchmark database (settings from the environment, as
``web_explain.py``) as the benchmark's analyst, whose session has passed 2FA, and measures
the process's CPU time (``time.process_time``: on SQLite the database's own work is included,
on PostgreSQL only the client side; a PostgreSQL server on this machine has its own column, the
CPU of the server process that answered, from ``/proc/PID/schedstat``) per request for:

- ``blank``: a signed-in page with nothing in it (the base template, behind ``login_required``):
  what every request pays — middleware, session, 2FA and session-limit checks, the user,
  language, CSP, context processors and the page frame;
- ``list``: ``/persons/?page=1..10``;
- ``search``: the name searches of ``web_plan.py`` (20 names, full names and surnames);
- ``profile``: the person pages of ``web_plan.py``'s profile scenario (20 sentenced persons);
- ``home`` (only when asked: seconds a page before the fourteenth round at 100k): the home
  page (``/``) three times: its counts, work lists and recent changes.

``--dump DIR`` writes pages instead (CSRF tokens masked), to compare two trees byte for byte:
the profiles of six sentenced persons, a judge, a lawyer, a named participant, the two persons
with the most sources and two real persons; the profiles, events and places of acts with rows
some roles may not view (``web_shapes.py`` marks a copy so), the cases, and the event and
organisations with the most acts — in English, Belarusian and Russian, as an analyst, a
viewer, a documenter and an administrator (``--roles``, ``--languages`` choose), with each
page's status and queries in ``DIR/queries.tsv``.

``--collector served`` sets Python's garbage collector as a ``vigil serve`` worker does once its
application is loaded (``vigil.core.serving_worker.settle_collector``) and again after the
warm-up, as a worker does between requests once it has answered its first pages
(``SETTLE_AFTER_ANSWERS``); by default it is left as Python sets it, as in the figures of
earlier rounds.

CPU time, not wall time, so that a machine shared with other work still compares trees:
run it on two checkouts against one database, alternating, and compare the medians.

    VIGIL_DATA_DIR=DIR/demo python benchmarks/web_cpu.py [--rounds 5] [--profile search] [--json]
    VIGIL_DATA_DIR=DIR/demo python benchmarks/web_cpu.py --dump /tmp/pages-before
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from web_load import process_cpu_seconds

sys.path.insert(0, str(Path(__file__).resolve().parent))

PAGES = ("blank", "list", "search", "profile", "home")
BLANK = "/bench/blank/"
ROLES = ("analyst", "viewer", "documenter", "admin")
LANGUAGES = ("en", "be", "ru")
CSRF = (
    re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+(")'),
    re.compile(rb'("X-CSRFToken": ")[^"]+(")'),
)


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
        "profile": urls["profile"],
        "home": ["/"] * 3,
    }


def compared_profiles() -> dict[str, str]:
    """The person pages compared by ``--dump``: kinds of profile whose reads differ, by name."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count

    from vigil.records.models import Act, Counsel, Information, Involvement, Participant, Person

    found = {f"sentenced-{n}": url for n, url in enumerate(page_urls(20)["profile"][:6])}
    judge = Involvement.objects.filter(perpetrator_person__isnull=False).order_by(
        "perpetrator_person_id"
    )
    lawyer = Counsel.objects.order_by("lawyer_id")
    participant = Participant.objects.filter(person__isnull=False).order_by("person_id")
    picks = {
        "judge": judge.values_list("perpetrator_person_id", flat=True).first(),
        "lawyer": lawyer.values_list("lawyer_id", flat=True).first(),
        "participant": participant.values_list("person_id", flat=True).first(),
    }
    on_person = Information.objects.filter(target_type=ContentType.objects.get_for_model(Person))
    most = on_person.values("target_id").annotate(n=Count("id")).order_by("-n", "target_id")
    for n, pk in enumerate(most.values_list("target_id", flat=True)[:2]):
        picks[f"sources-{n}"] = pk
    real = Act.objects.filter(
        victim_person__is_synthetic=False, act_type_id="act_type.sentence"
    ).order_by("victim_person_id")
    for n, pk in enumerate(real.values_list("victim_person_id", flat=True)[:2]):
        picks[f"real-{n}"] = pk
    found.update({name: f"/persons/{pk}/" for name, pk in picks.items() if pk is not None})
    found.update(compared_shapes())
    return found


def _hidden_or_deleted(model: Any) -> Any:
    """Rows of ``model`` (any) a user of some role may not view: above internal, or deleted."""
    from django.db.models import Q

    return model.all_objects.filter(
        Q(deleted_at__isnull=False) | Q(confidentiality__in=("restricted", "secret"))
    )


def compared_shapes() -> dict[str, str]:
    """Pages whose acts or act rows some roles may not view (``web_shapes.py`` marks a copy
    so), and the act lists (event, organisation, case pages) most full of acts: by name."""
    from django.db.models import Count

    from vigil.records.models import (
        Act,
        ActCharge,
        Case,
        Counsel,
        Event,
        Involvement,
        Organisation,
        Participant,
    )

    marked: set[Any] = set(_hidden_or_deleted(Act).values_list("pk", flat=True))
    for model in (ActCharge, Involvement, Counsel, Participant):
        marked.update(_hidden_or_deleted(model).values_list("act_id", flat=True))
    # A hidden perpetrator or lawyer names many acts: the first of each.
    hidden = ("restricted", "secret")
    for rows in (
        Involvement.all_objects.filter(perpetrator_person__confidentiality__in=hidden),
        Counsel.all_objects.filter(lawyer__confidentiality__in=hidden),
    ):
        marked.update(rows.order_by("pk").values_list("act_id", flat=True)[:1])
    acts = Act.all_objects.filter(pk__in=marked)
    found: dict[str, str] = {}
    victims = sorted({pk for pk in acts.values_list("victim_person_id", flat=True) if pk})
    for n, pk in enumerate(victims[:8]):
        found[f"shape-{n}"] = f"/persons/{pk}/"
    events = sorted({pk for pk in acts.values_list("event_id", flat=True) if pk})
    for n, pk in enumerate(events[:6]):
        found[f"shape-event-{n}"] = f"/events/{pk}/"
    places = sorted({pk for pk in acts.values_list("place_id", flat=True) if pk})
    for n, pk in enumerate(places[:2]):
        found[f"shape-place-{n}"] = f"/organisations/{pk}/"
    for n, pk in enumerate(Case.all_objects.order_by("pk").values_list("pk", flat=True)[:3]):
        found[f"case-{n}"] = f"/cases/{pk}/"
    fullest = Event.objects.annotate(n=Count("acts")).order_by("-n", "pk")
    for n, pk in enumerate(fullest.values_list("pk", flat=True)[:2]):
        found[f"fullest-event-{n}"] = f"/events/{pk}/"
    for field, name in (("acts_here", "court"), ("acts", "victim-organisation")):
        pk = (
            Organisation.objects.annotate(n=Count(field))
            .filter(n__gt=0)
            .order_by("-n", "pk")
            .values_list("pk", flat=True)
            .first()
        )
        if pk is not None:
            found[f"fullest-{name}"] = f"/organisations/{pk}/"
    return found


def dump(folder: Path, roles: list[str], languages: list[str]) -> int:
    """Write the compared pages under ``folder`` (CSRF tokens masked), and each page's status
    and number of queries to ``queries.tsv``; how many."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    folder.mkdir(parents=True, exist_ok=True)
    profiles = compared_profiles()
    written = 0
    counts = []
    for role in roles:
        client = signed_in_client(role)
        for name, url in profiles.items():
            for language in languages:
                with CaptureQueriesContext(connection) as first:
                    client.get(url, HTTP_ACCEPT_LANGUAGE=language)
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
                # The fewer of two fetches: the first may fill caches, and either may be the one
                # that refreshes the session's last-seen time (once a minute, three queries).
                queries = min(len(first), len(captured))
                body = response.content
                for pattern in CSRF:
                    body = pattern.sub(rb"\1-\2", body)
                page = f"{role}-{name}-{language}.html"
                (folder / page).write_bytes(body)
                counts.append(f"{page}\t{response.status_code}\t{queries}\t{url}")
                written += 1
    (folder / "queries.tsv").write_text("\n".join(counts) + "\n")
    return written


def signed_in_client(role: str = "analyst") -> Any:
    from django.conf import settings
    from django.test import Client

    from web_plan import bench_user, verified_session

    client = Client(SERVER_NAME="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = verified_session(bench_user(role))
    return client


def fetch(client: Any, url: str, **headers: Any) -> Any:
    response = client.get(url, **headers)
    if response.status_code != 200:
        raise SystemExit(f"web_cpu: {url} answered {response.status_code}")
    return response


def queries_of(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fetch(client, url)
    return len(captured.captured_queries)


def backend_pid() -> int | None:
    """The PostgreSQL server process of this process's connection (None on SQLite, or closed)."""
    from django.db import connection

    if connection.vendor != "postgresql" or connection.connection is None:
        return None
    return int(connection.connection.info.backend_pid)


def measure(
    client: Any, urls: list[str], rounds: int, served: bool = False
) -> tuple[list[float], list[float]]:
    """CPU milliseconds of each request, ``rounds`` times over ``urls`` (after one warm-up):
    this process's, and on PostgreSQL on this machine the server process's that answered it
    (a request whose connection changed on the way is left out of the second list).
    ``served``: the collector settled again after the warm-up, as a worker does."""
    for url in urls:
        fetch(client, url)
    if served:
        from vigil.core.serving_worker import settle_collector

        settle_collector()  # as a worker does once it has answered its first pages
    found: list[float] = []
    server: list[float] = []
    for _ in range(rounds):
        for url in urls:
            pid = backend_pid()
            before = process_cpu_seconds(pid) if pid else None
            start = time.process_time()
            fetch(client, url)
            found.append((time.process_time() - start) * 1000)
            after = process_cpu_seconds(pid) if pid and backend_pid() == pid else None
            if before is not None and after is not None:
                server.append((after - before) * 1000)
    return found, server


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
    parser.add_argument(
        "--pages", nargs="+", choices=PAGES, default=[p for p in PAGES if p != "home"]
    )
    parser.add_argument("--rounds", type=int, default=5, help="passes over each page's URLs")
    parser.add_argument("--searches", type=int, default=20, help="name searches")
    parser.add_argument("--profile", choices=PAGES, help="print a cProfile of this page instead")
    parser.add_argument("--limit", type=int, default=45, help="profile lines")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--dump", type=Path, help="write the compared person pages here")
    parser.add_argument(
        "--collector",
        choices=("python", "served"),
        default="python",
        help="the garbage collector as Python sets it, or as a vigil serve worker does",
    )
    parser.add_argument("--roles", nargs="+", choices=ROLES, default=list(ROLES))
    parser.add_argument("--role", choices=ROLES, default="analyst", help="who is measured")
    parser.add_argument("--languages", nargs="+", choices=LANGUAGES, default=list(LANGUAGES))
    args = parser.parse_args()

    import django
    from django.conf import settings

    django.setup()
    urlpatterns.extend(blank_urls())
    settings.ROOT_URLCONF = __name__
    from django.urls import clear_url_caches

    clear_url_caches()
    if args.collector == "served":
        from vigil.core.serving_worker import settle_collector

        settle_collector()  # as a worker does once its application is loaded
    if args.dump:
        print(f"web_cpu: {dump(args.dump, args.roles, args.languages)} pages in {args.dump}")
        return
    client = signed_in_client(args.role)
    urls = page_urls(args.searches)
    if args.profile:
        print(profile(client, urls[args.profile], args.rounds, args.limit))
        return
    found: dict[str, Any] = {}
    for name in args.pages:
        cpu, server = measure(client, urls[name], args.rounds, args.collector == "served")
        found[name] = {
            "requests": len(cpu),
            "cpu_ms_median": round(statistics.median(cpu), 2),
            "cpu_ms_mean": round(statistics.fmean(cpu), 2),
            "queries": queries_of(client, urls[name][0]),
        }
        if server:
            found[name]["pg_cpu_ms_median"] = round(statistics.median(server), 2)
            found[name]["pg_cpu_ms_mean"] = round(statistics.fmean(server), 2)
    if args.json:
        print(json.dumps(found))
        return
    for name, row in found.items():
        print(
            f"{name:7} {row['requests']:4} requests  CPU median {row['cpu_ms_median']:7.2f} ms"
            f"  mean {row['cpu_ms_mean']:7.2f} ms  queries {row['queries']}"
            + (
                f"  PostgreSQL server CPU median {row['pg_cpu_ms_median']:6.2f} ms"
                f"  mean {row['pg_cpu_ms_mean']:6.2f} ms"
                if "pg_cpu_ms_median" in row
                else ""
            )
        )


if __name__ == "__main__":
    main()
