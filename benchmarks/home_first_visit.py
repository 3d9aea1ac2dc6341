"""Where the home page's first visit after a write goes: CPU of each piece, in one process.

The home page keeps its counts until a write to a watched table moves the record's change mark
(``records.count_changes.kept``); the next visit of each process and ceiling counts again.
This signs in as one of ``web_cpu.py``'s roles, visits the home page twice (warm), then
``--rounds`` times: a one-row write to a person (an ``UPDATE`` that sets a field to its own
value: the mark moves, nothing else changes), the home page (the first visit, timed piece by
piece), the home page again (a repeat visit). Each piece is timed with ``time.process_time``
(on SQLite the database's own work is included), inclusive of what it calls:

    VIGIL_DATA_DIR=COPY/demo ... python benchmarks/home_first_visit.py --role analyst

Run it on a copy of a benchmark database (it writes a mark), with the environment of
``web_data._base_env``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

PIECES = (
    # (module, function, label): each wrapped where its caller looks it up.
    ("vigil.web.views", "home_summary", "home_summary"),
    ("vigil.web.summary", "record_stats", "record_stats"),
    ("vigil.records.stats", "_counts", "record_stats: counts (_counts)"),
    ("vigil.records.stats", "custody_counts_seen_by", "record_stats: custody"),
    ("vigil.web.summary", "persons_in", "work lists (persons_in x2)"),
    ("vigil.web.summary", "recent_changes", "recent_changes"),
    ("vigil.web.summary", "follow_ups_due", "follow_ups_due"),
    ("vigil.web.summary", "labelled", "labelled"),
)


def wrap(spent: dict[str, float], module: str, name: str, label: str) -> None:
    import importlib

    target = importlib.import_module(module)
    original: Callable[..., Any] = getattr(target, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + (time.process_time() - start) * 1000

    setattr(target, name, timed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--role", default="analyst")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from vigil.records.models import Person
    from web_cpu import fetch, signed_in_client

    spent: dict[str, float] = {}
    for module, name, label in PIECES:
        wrap(spent, module, name, label)
    client = signed_in_client(args.role)
    for _ in range(2):
        fetch(client, "/")
    found: dict[str, list[float]] = defaultdict(list)
    pk, withheld = Person.objects.order_by("pk").values_list("pk", "name_withheld")[0]
    for _ in range(args.rounds):
        Person.objects.filter(pk=pk).update(name_withheld=withheld)  # moves the mark
        spent.clear()
        start = time.process_time()
        fetch(client, "/")
        found["page, first visit after the write"].append((time.process_time() - start) * 1000)
        for label, ms in spent.items():
            found[label].append(ms)
        start = time.process_time()
        fetch(client, "/")
        found["page, repeat visit"].append((time.process_time() - start) * 1000)
    for label, values in sorted(found.items(), key=lambda kv: -statistics.median(kv[1])):
        each = " ".join(f"{v:.0f}" for v in values)
        print(f"{label:36} median {statistics.median(values):8.1f} ms  ({each})")


if __name__ == "__main__":
    main()
