"""Prepare a web benchmark run inside Django: a verified user, sessions, URLs and their SQL.

Run as a script against the benchmark database (settings from the environment):

    python benchmarks/web_plan.py OUT.json [--filter QUERY] [--sessions 17] [--role analyst]

Writes a JSON plan: session cookies (server-side sessions of a user who passed 2FA, as
``vigil.accounts.testing.login_verified`` makes them), the URLs of each scenario, and for each
URL the SQL its page ran (captured through Django's test client on the same database), which
the bare baseline server replays.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import secrets
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

# URLs each scenario rotates through (override with --rotation profile=8 ...).
ROTATION = {"list": 20, "filtered": 5, "profile": 20, "search": 20}
PERSON_LINK = re.compile(r'href="/persons/([0-9a-f-]{36})/"')
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def bench_user(role: str) -> Any:
    """The benchmark's own user (created once), of ``role``."""
    from vigil.accounts.models import User
    from vigil.core.context import change_context

    with change_context("cli", detail="web benchmark user"):
        user = User.objects.filter(username=f"bench-{role}").first()
        if user is None:
            user = User.objects.create_user(
                f"bench-{role}", password=secrets.token_urlsafe(24), role=role
            )
    return user


def verified_session(user: Any) -> str:
    """A new server-side session of ``user`` that has passed 2FA; its key."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from vigil.accounts import sessions
    from vigil.accounts.models import UserSession

    store = SessionStore()
    stamp = sessions.now()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[sessions.LOGIN_AT] = stamp
    store[sessions.SEEN_AT] = stamp
    store[sessions.VERIFIED_AT] = stamp
    store.create()
    UserSession.objects.update_or_create(session_key=store.session_key, defaults={"user": user})
    return str(store.session_key)


def scenario_urls(
    filter_query: str, rotation: dict[str, int], seed: int = 1
) -> dict[str, list[str]]:
    """The URLs each scenario rotates through: list pages, filtered pages, profiles, names."""
    from vigil.records.models import Act, PersonName

    rng = random.Random(seed)
    sentenced = list(
        Act.objects.filter(act_type_id="act_type.sentence", victim_person__isnull=False)
        .order_by("id")
        .values_list("victim_person_id", flat=True)[:20000]
    )
    profiles = rng.sample(sentenced, min(rotation["profile"], len(sentenced)))
    searched = rng.sample(sentenced, min((rotation["search"] + 1) // 2, len(sentenced)))
    names = PersonName.objects.filter(person_id__in=searched).order_by("id")
    values = list(names.values_list("value", flat=True))
    queries: list[str] = []
    for i, value in enumerate(values):
        # Alternate full names and surnames, Cyrillic and Latin, as people type them.
        queries.append(value if i % 2 else value.split()[-1])
    return {
        "list": [f"/persons/?page={n}" for n in range(1, rotation["list"] + 1)],
        "filtered": [
            f"/persons/?{filter_query}&page={n}" for n in range(1, rotation["filtered"] + 1)
        ],
        "profile": [f"/persons/{pk}/" for pk in profiles],
        "search": [f"/persons/?{urlencode({'q': q})}" for q in queries[: rotation["search"]]],
    }


def capture(client: Any, url: str) -> dict[str, Any]:
    """Fetch ``url`` once through the whole stack; its status, size, links and SQL."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    seconds = time.perf_counter() - start
    statements = [q["sql"] for q in captured.captured_queries]
    body = response.content.decode("utf-8", "replace")
    return {
        "status": response.status_code,
        "bytes": len(response.content),
        "seconds": seconds,
        "links": sorted(set(PERSON_LINK.findall(body))),
        "queries": len(statements),
        "writes": sum(1 for s in statements if WRITE.match(s)),
        "select": [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))],
        "timings": [float(q["time"]) for q in captured.captured_queries],
        "slowest": sorted(
            ((float(q["time"]), q["sql"]) for q in captured.captured_queries), reverse=True
        )[:5],
    }


def build_plan(
    filter_query: str, sessions: int, role: str, rotation: dict[str, int]
) -> dict[str, Any]:
    """Everything the load phase needs, measured on this database."""
    from django.conf import settings
    from django.test import Client

    from vigil.records.models import Act, Person

    user = bench_user(role)
    keys = [verified_session(user) for _ in range(sessions)]
    client = Client(SERVER_NAME="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = keys[0]
    urls = scenario_urls(filter_query, rotation)
    pages = {name: [capture(client, u) for u in group] for name, group in urls.items()}
    for name, captured in pages.items():
        statuses = zip(urls[name], (c["status"] for c in captured), strict=True)
        bad = [(url, status) for url, status in statuses if status != 200]
        if bad:
            raise SystemExit(f"web_plan: {name} pages did not answer 200: {bad[:3]}")
    plain, filtered = pages["list"][0]["links"], pages["filtered"][0]["links"]
    return {
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "sessions": keys,
        "role": role,
        "urls": urls,
        "pages": {
            name: [{k: v for k, v in c.items() if k != "links"} for c in captured]
            for name, captured in pages.items()
        },
        "filter_query": filter_query,
        "filter_applied": plain != filtered,
        "search_hits": sum(1 for c in pages["search"] if c["links"]),
        "persons": Person.all_objects.count(),
        "acts": Act.all_objects.count(),
        "vendor": _vendor(),
    }


def _vendor() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlcipher3

        return f"SQLCipher (SQLite {sqlcipher3.sqlite_version})"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument(
        "--filter", default="act_type=sentence&date_from=2023-01-01&custody=in_custody"
    )
    parser.add_argument("--sessions", type=int, default=17)
    parser.add_argument("--role", default="analyst")
    parser.add_argument("--rotation", nargs="*", default=[], help="e.g. profile=8 search=20")
    parser.add_argument(
        "--refresh-sessions", action="store_true", help="only renew the sessions of OUT"
    )
    args = parser.parse_args()
    rotation = dict(ROTATION)
    for item in args.rotation:
        name, _, count = item.partition("=")
        if name not in rotation:
            raise SystemExit(f"web_plan: unknown scenario {name!r}")
        rotation[name] = int(count)
    import django

    django.setup()
    if args.refresh_sessions:
        plan = json.loads(args.out.read_text())
        user = bench_user(plan["role"])
        plan["sessions"] = [verified_session(user) for _ in range(args.sessions)]
    else:
        plan = build_plan(args.filter, args.sessions, args.role, rotation)
    args.out.write_text(json.dumps(plan, indent=1, default=str))
    print(f"plan: {sum(len(v) for v in plan['urls'].values())} URLs -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
