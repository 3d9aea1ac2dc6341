"""Databases for the web benchmark: the demo with synthetic persons, on SQLite or PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VIGIL = [sys.executable, "-m", "vigil"]
PG_THROWAWAY = ROOT / "scripts" / "pg-throwaway"
PG_BUILD = (
    "import django; django.setup();"
    "from vigil.demo.build import build_demo; import sys;"
    "build_demo(synthetic=int(sys.argv[1]), say=lambda s: None)"
)


@dataclass(frozen=True)
class Backend:
    """One benchmark database: its name, folder and the environment that reaches it."""

    name: str
    folder: Path
    env: dict[str, str]
    build_seconds: float | None


def _base_env(folder: Path, database_url: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIL_")}
    env.update(
        VIGIL_DATA_DIR=str(folder),
        VIGIL_KEYFILE=str(folder / "vigil.key"),
        VIGIL_SECURE_COOKIES="0",
        VIGIL_DEMO="1",
        DJANGO_SETTINGS_MODULE="vigil.settings",
        # This tree's sources first: an editable install may point at another checkout.
        PYTHONPATH=os.pathsep.join((str(ROOT / "src"), str(ROOT / "benchmarks"))),
    )
    if sample := os.environ.get("VIGIL_SAMPLE_DATA"):
        env["VIGIL_SAMPLE_DATA"] = sample
    if database_url:
        env["VIGIL_DATABASE_URL"] = database_url
    return env


def _timed_build(argv: list[str], env: dict[str, str], marker: Path) -> float:
    """Run a build command; remember its duration beside the data for later reuse."""
    start = time.perf_counter()
    with marker.with_suffix(".log").open("w") as log:  # the demo prints its QR code and password
        subprocess.run(argv, env=env, check=True, cwd=ROOT, stdout=log)  # noqa: S603
    seconds = time.perf_counter() - start
    marker.write_text(json.dumps({"build_seconds": seconds}))
    return seconds


def _recorded_build(marker: Path) -> float | None:
    try:
        return float(json.loads(marker.read_text())["build_seconds"])
    except (OSError, ValueError, KeyError):
        return None


def migrate(env: dict[str, str]) -> None:
    """Apply migrations that arrived since the database was built (the tree moves under us),
    and bring the search index up to date with the history (a no-op when it is current)."""
    subprocess.run([*VIGIL, "migrate", "--no-input", "-v", "0"], env=env, check=True, cwd=ROOT)  # noqa: S603
    index = [*VIGIL, "search-index", "--catch-up"]
    subprocess.run(index, env=env, check=False, cwd=ROOT, stdout=subprocess.DEVNULL)  # noqa: S603


def sqlite_demo(base: Path, persons: int, *, reuse: bool) -> Backend:
    """``vigil demo --synthetic N`` into ``base/demo`` (encrypted SQLite), or the one there."""
    folder = base / "demo"
    env = _base_env(folder)
    marker = base / "web-bench-sqlite.json"
    if reuse and (folder / "vigil.db").exists():
        seconds = _recorded_build(marker)
    else:
        base.mkdir(parents=True, exist_ok=True)
        build_env = {**env, "VIGIL_DATA_DIR": str(base)}
        build_env.pop("VIGIL_KEYFILE")
        argv = [*VIGIL, "demo", "--no-serve", "--synthetic", str(persons)]
        seconds = _timed_build(argv, build_env, marker)
    migrate(env)
    return Backend("sqlite", folder, env, seconds)


def postgres_demo(base: Path, persons: int, *, reuse: bool, port: int = 55439) -> Backend:
    """The same demo on a throwaway PostgreSQL cluster (``scripts/pg-throwaway``)."""
    marker = base / "web-bench-postgres.json"
    if not (reuse and marker.exists()):
        stop_postgres(port)  # a fresh cluster: the demo build expects an empty database
    url = subprocess.run(  # noqa: S603
        [str(PG_THROWAWAY), "start", str(port)], check=True, capture_output=True, text=True
    ).stdout.strip()
    folder = base / "pg"
    env = _base_env(folder, url)
    if reuse and marker.exists() and _has_tables(env):
        seconds = _recorded_build(marker)
    else:
        base.mkdir(parents=True, exist_ok=True)
        seconds = _timed_build([sys.executable, "-c", PG_BUILD, str(persons)], env, marker)
    migrate(env)
    return Backend("postgres", folder, env, seconds)


def stop_postgres(port: int = 55439) -> None:
    subprocess.run([str(PG_THROWAWAY), "stop", str(port)], check=False)  # noqa: S603


def _has_tables(env: dict[str, str]) -> bool:
    """Whether the database already holds persons (a build to reuse)."""
    probe = (
        "import django; django.setup(); from vigil.records.models import Person;"
        "assert Person.all_objects.exists()"
    )
    found = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True)  # noqa: S603
    return found.returncode == 0
