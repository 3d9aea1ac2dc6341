"""The CPU of saving one record through Vigil against a bare Django insert of the same row.

Kinds: a person, a person name, an act with stored custody (its victim's custody is
recomputed), an involvement naming a perpetrator, and a change of a person's notes (a field
no index, custody or screening reads). Each is saved through Vigil (a change context, the
history row, the signals: search index, custody, screening, alerts) and, as the same-run
baseline, inserted bare (``QuerySet._insert``, Django's own insert of a ``save()``, without
signals or history; the change is a bare ``UPDATE``). Rounds alternate the two; each round
saves ``--saves`` records of every kind and reads the process's CPU (``time.process_time``)
and, on PostgreSQL, the server process's (``/proc/PID/schedstat``; the server must run on
this machine). Medians over the rounds, per save, and the ratio Vigil / bare.

The database is the demo (``build_demo``, no synthetic persons: "small"), then the same with
``--persons`` synthetic persons added (``vigil.demo.synthetic.generate``, the index caught
up: "large"). Encrypted SQLite in a throwaway folder; with ``--postgres URL`` also that
PostgreSQL database, which must be empty (a fresh ``scripts/pg-throwaway start PORT``).

    python benchmarks/save_bench.py [--persons 8000] [--rounds 7] [--saves 40]
                                    [--postgres URL [--no-sqlite]] [--profile DIR]

``--profile DIR`` writes a cProfile of the Vigil saves of each kind and size there.
Run the branch point and a change alternately, each with its own ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("person", "person_name", "act", "involvement", "person_notes")


def _env(folder: Path, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIL_")}
    env.update(
        VIGIL_DATA_DIR=str(folder),
        VIGIL_KEY_SOURCE="keyfile",
        VIGIL_ALLOW_KEYFILE="1",
        VIGIL_DEMO="1",
        DJANGO_SETTINGS_MODULE="vigil.settings",
        PYTHONPATH=os.pathsep.join(
            (os.environ.get("PYTHONPATH", str(ROOT / "src")), str(ROOT / "benchmarks"))
        ),
    )
    if url:
        env["VIGIL_DATABASE_URL"] = url
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=8000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--saves", type=int, default=40)
    parser.add_argument("--postgres", default="", help="an empty PostgreSQL database's URL")
    parser.add_argument("--profile", default="", help="write cProfile files into this folder")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _worker(args)
        return
    results = []
    backends = [] if args.no_sqlite else [("sqlite", "")]
    backends += [("postgres", args.postgres)] if args.postgres else []
    for name, url in backends:
        base = Path(tempfile.mkdtemp(prefix="save-bench-"))
        try:
            argv = [sys.executable, __file__, "--worker", *sys.argv[1:]]
            env = _env(base / "demo", url)
            out = subprocess.run(argv, env=env, check=True, capture_output=True, text=True)  # noqa: S603
            found = json.loads(out.stdout.strip().splitlines()[-1])
            results.append({"backend": name, **found})
        finally:
            shutil.rmtree(base, ignore_errors=True)
    for result in results:
        for size, kinds in result["sizes"].items():
            print(f"{result['backend']} {size} ({kinds.pop('_persons')} persons):")
            for kind, m in kinds.items():
                server = ""
                if m.get("vigil_server_ms") is not None:
                    server = (
                        f"  server {m['vigil_server_ms']:.2f} / {m['bare_server_ms']:.2f} ms"
                    )
                print(
                    f"  {kind:13} vigil {m['vigil_ms']:7.2f} ms  bare {m['bare_ms']:6.2f} ms  "
                    f"ratio {m['ratio']:5.1f}{server}"
                )
    print(json.dumps({"load": os.getloadavg(), "results": results}))


def _server_cpu(pid: int | None) -> float:
    if pid is None:
        return 0.0
    with open(f"/proc/{pid}/schedstat", encoding="ascii") as f:
        return int(f.read().split()[0]) / 1e9


def _worker(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.db import connection

    from vigil.core.context import change_context
    from vigil.demo.build import build_demo
    from vigil.records.models import Person
    from vigil.search import sync

    build_demo(synthetic=0, say=lambda s: None)
    pid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
    sizes: dict[str, Any] = {}
    with change_context("cli", detail="save bench"):
        sizes["small"] = _measure(args, pid, "small")
        sizes["small"]["_persons"] = Person.all_objects.count()
        from vigil.demo.synthetic import generate

        generate(args.persons)
        sync.catch_up(limit=None)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        sizes["large"] = _measure(args, pid, "large")
        sizes["large"]["_persons"] = Person.all_objects.count()
    print(json.dumps({"vendor": connection.vendor, "sizes": sizes}))


def _makers() -> dict[str, tuple[Callable[[int], Any], Callable[[int], Any]]]:
    """Per kind: (make one unsaved record ``i``, or the record to change) for Vigil and bare."""
    from vigil.records.models import Act, Event, Involvement, Person, PersonName, Term

    event = Event.objects.create(title="Save bench events", date=dt.date(2024, 3, 1))
    # Acts and names go to a pool of persons, as a record's persons have a few of each.
    victims = [Person.objects.create(display_name=f"Ales Benchmarkovich {i}") for i in range(25)]
    victim = victims[0]
    perpetrator = Person.objects.create(display_name="Judge Benchmark")
    act_for_involvements = Act.objects.create(
        event=event,
        act_type_id=Term.pk_for("act_type", "arrest"),
        victim_person=victim,
        date=dt.date(2024, 3, 1),
    )
    role = Term.objects.filter(vocabulary="perpetrator_role").values_list("pk", flat=True)[0]
    changed = Person.objects.create(display_name="Notes Benchmark")
    act_types = ("arrest", "detention", "release")

    def person(i: int) -> Any:
        return Person(display_name=f"Bench Person {i} Navumau")

    def name(i: int) -> Any:
        return PersonName(person=victims[i % 25], value=f"Бенч Персона {i}", script="Cyrl")

    def act(i: int) -> Any:
        return Act(
            event=event,
            act_type_id=Term.pk_for("act_type", act_types[i % len(act_types)]),
            victim_person=victims[i % 25],
            date=dt.date(2024, 3, 1) + dt.timedelta(days=i % 500),
            date_precision="day",
            description=f"Bench act {i}",
        )

    def involvement(i: int) -> Any:
        return Involvement(
            act=act_for_involvements, perpetrator_person=perpetrator, role_id=role, note=str(i)
        )

    def notes(i: int) -> Any:
        changed.notes = f"note {i}"
        return changed

    return {
        "person": (person, person),
        "person_name": (name, name),
        "act": (act, act),
        "involvement": (involvement, involvement),
        "person_notes": (notes, notes),
    }


def _bare(obj: Any, kind: str) -> None:
    """The same row written by Django without Vigil: the insert ``save()`` makes (or the
    update), no signals, no history."""
    from django.utils import timezone

    from vigil.records.names import normalised_name

    model = type(obj)
    now = timezone.now()
    if kind == "person_notes":
        model.all_objects.filter(pk=obj.pk).update(notes=obj.notes, updated_at=now)
        return
    obj.version, obj.created_at, obj.updated_at = 1, now, now
    if hasattr(obj, "normalised"):
        obj.normalised = normalised_name(obj.value)
    fields = [f for f in model._meta.local_concrete_fields if not f.generated]
    model._base_manager._insert([obj], fields=fields, using="default")
    obj._state.adding = False


def _measure(args: argparse.Namespace, pid: int | None, size: str) -> dict[str, Any]:
    import cProfile

    makers = _makers()
    out: dict[str, Any] = {}
    counter = iter(range(10**9))
    for kind in KINDS:
        vigil_make, bare_make = makers[kind]
        samples: dict[str, list[float]] = {"vigil": [], "bare": [], "vs": [], "bs": []}
        profiler = cProfile.Profile() if args.profile else None
        for _ in range(args.rounds):
            for way in ("vigil", "bare"):
                objs = [
                    (vigil_make if way == "vigil" else bare_make)(next(counter))
                    for _ in range(args.saves)
                ]
                if kind == "person_notes":
                    objs = [objs[0]] * args.saves
                server, start = _server_cpu(pid), time.process_time()
                if way == "vigil" and profiler is not None:
                    profiler.enable()
                for i, obj in enumerate(objs):
                    if kind == "person_notes":
                        obj.notes = f"{way} {i} {time.time_ns()}"
                    if way == "vigil":
                        obj.save()
                    else:
                        _bare(obj, kind)
                if way == "vigil" and profiler is not None:
                    profiler.disable()
                spent = time.process_time() - start
                server = _server_cpu(pid) - server
                samples[way].append(spent / args.saves * 1000)
                samples["vs" if way == "vigil" else "bs"].append(server / args.saves * 1000)
        if profiler is not None:
            Path(args.profile).mkdir(parents=True, exist_ok=True)
            profiler.dump_stats(str(Path(args.profile) / f"{size}-{kind}.prof"))
        vigil, bare = statistics.median(samples["vigil"]), statistics.median(samples["bare"])
        out[kind] = {
            "vigil_ms": vigil,
            "bare_ms": bare,
            "ratio": vigil / bare if bare else None,
            "vigil_server_ms": statistics.median(samples["vs"]) if pid else None,
            "bare_server_ms": statistics.median(samples["bs"]) if pid else None,
        }
    return out


if __name__ == "__main__":
    main()
