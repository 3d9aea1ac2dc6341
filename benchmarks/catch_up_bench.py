"""What a name search's catch-up costs on PostgreSQL when there is nothing to replay: client and
server CPU per ``catch_up()`` call (every name search runs one).

Run against a migrated database holding records (e.g. one a ``vigil import viasna`` filled),
with ``VIGIL_DATABASE_URL`` and a data folder set as for ``vigil``; the index is caught up and
marked current first. Each round calls ``catch_up()`` ``--calls`` times and reads the client's
CPU (``time.process_time``) and the CPU of its server process (``/proc/PID/schedstat`` of
``pg_backend_pid()``: the server must run on this machine). ``--open N`` holds N transactions
with an id open in the ``postgres`` database meanwhile (a server shared with other databases:
the horizon's running list is not empty, so its per-database part does work).

    python benchmarks/catch_up_bench.py [--calls 1000] [--rounds 5] [--open 0]

Run the branch point and a change alternately, each with its own ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from contextlib import ExitStack
from typing import Any


def _server_cpu(pid: int) -> float:
    """CPU seconds of process ``pid`` so far (``/proc/PID/schedstat``: nanoseconds on a CPU;
    ``stat``'s user and system times count 10 ms ticks, too coarse for 1,000 calls)."""
    with open(f"/proc/{pid}/schedstat", encoding="ascii") as f:
        return int(f.read().split()[0]) / 1e9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--open", type=int, default=0, help="transactions held in `postgres`")
    args = parser.parse_args()

    import django

    django.setup()
    import psycopg
    from django.db import connection

    from vigil.search import sync

    assert connection.vendor == "postgresql", "PostgreSQL only (SQLite has no horizon)"
    sync.catch_up(limit=None)
    assert sync.catch_up() is True and sync.lag() == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend: int = cursor.fetchone()[0]
    settings = connection.settings_dict
    others: dict[str, Any] = {
        k: v
        for k, v in {
            "host": settings["HOST"],
            "port": settings["PORT"],
            "user": settings["USER"],
            "password": settings["PASSWORD"],
        }.items()
        if v
    }
    rounds: list[dict[str, float]] = []
    with ExitStack() as stack:
        for _ in range(args.open):
            other = stack.enter_context(psycopg.connect(dbname="postgres", **others))
            other.execute("SELECT pg_current_xact_id()")  # an id, held until the end
        for _ in range(args.rounds):
            client, server = time.process_time(), _server_cpu(backend)
            for _ in range(args.calls):
                sync.catch_up()
            client, server = time.process_time() - client, _server_cpu(backend) - server
            rounds.append(
                {
                    "client_us_per_call": client / args.calls * 1e6,
                    "server_us_per_call": server / args.calls * 1e6,
                }
            )
        current = sync.catch_up()
    print(
        json.dumps(
            {
                "calls": args.calls,
                "open_elsewhere": args.open,
                "rounds": rounds,
                "median_client_us": statistics.median(r["client_us_per_call"] for r in rounds),
                "median_server_us": statistics.median(r["server_us_per_call"] for r in rounds),
                "current": current,
                "load": os.getloadavg(),
            }
        )
    )


if __name__ == "__main__":
    main()
