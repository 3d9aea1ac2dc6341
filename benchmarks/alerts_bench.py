"""Benchmark alerts: what watching costs an import, and how fast `vigil deliver` sends.

Two fresh encrypted SQLite databases get the same N fictional Viasna rows (``viasna_rows.py``);
then a second file adds a release act for every person. In the baseline database nobody
watches anyone; in the other, one user with an e-mail address watches every person, so the
second import writes N notifications and N outbox rows in its transaction. Both second
imports run as the real CLI in a fresh process (wall time; start-up is the same in both).
Then `vigil deliver --limit N` sends the N e-mails to a local aiosmtpd server (wall time,
messages per second, including start-up), and a second `vigil deliver` must send nothing.
With ``--digest`` the watcher is on the daily digest (``VIGIL_DIGEST_HOUR=0``): the second
import holds the N e-mail rows and `vigil deliver` composes and sends one digest listing them.

    python benchmarks/alerts_bench.py [--rows 2000] [--digest]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from viasna_rows import HEADER, write_rows

ROOT = Path(__file__).resolve().parent.parent
VIGIL = [sys.executable, "-m", "vigil"]
WATCH_ALL = """
from django.contrib.contenttypes.models import ContentType
from vigil.accounts.models import User
from vigil.alerts.models import Watch
from vigil.records.models import Person
user = User.objects.get(username="fictional-watcher")
ct = ContentType.objects.get_for_model(Person)
Watch.objects.bulk_create(
    Watch(user=user, target_type=ct, target_id=pk)
    for pk in Person.objects.values_list("pk", flat=True)
)
print(Watch.objects.count())
"""


COUNT_NOTIFICATIONS = """
from vigil.alerts.models import Notification
print(Notification.objects.count())
"""


class Inbox:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.count += 1
        return "250 OK"


def _released(source: Path, target: Path) -> Path:
    """The same rows, each with a release date: one new act per person."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["release_date"] = row["release_date"] or "2026-01-15"
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return target


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)  # noqa: S603
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd[2:4])} failed:\n{done.stdout}\n{done.stderr}")
    return wall, done.stdout


def _database(folder: Path, smtp_port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIL_")}
    env.update(
        VIGIL_DATA_DIR=str(folder),
        VIGIL_KEY_SOURCE="keyfile",
        VIGIL_ALLOW_KEYFILE="1",
        VIGIL_EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        VIGIL_DIGEST_HOUR="0",
        PYTHONPATH=str(ROOT / "src"),
    )
    _run([*VIGIL, "init"], env)
    _run([*VIGIL, "users", "add", "fictional-importer", "--role", "documenter"], env)
    _run(
        [*VIGIL, "users", "add", "fictional-watcher", "--role", "coordinator", "--email",
         "watcher@example.org"],
        env,
    )  # fmt: skip
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--digest", action="store_true", help="the watcher takes a daily digest")
    args = parser.parse_args()
    n = args.rows
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            first = write_rows(folder / "first.csv", n, seed=7)
            second = _released(first, folder / "second.csv")
            results = {}
            for label in ("nobody watches", "every person watched"):
                env = _database(folder / label.replace(" ", "-"), port)
                _run([*VIGIL, "import", "viasna", str(first), "--as", "fictional-importer"], env)
                if label != "nobody watches":
                    _, out = _run([*VIGIL, "shell", "-c", WATCH_ALL], env)
                    watched = int(out.strip().splitlines()[-1])
                    if args.digest:
                        _run([*VIGIL, "watch", "email", "daily", "--as", "fictional-watcher"], env)
                wall, _ = _run(
                    [*VIGIL, "import", "viasna", str(second), "--as", "fictional-importer"], env
                )
                results[label] = wall
            _, counted = _run([*VIGIL, "shell", "-c", COUNT_NOTIFICATIONS], env)
            notifications = int(counted.strip().splitlines()[-1])
            deliver_wall, out = _run([*VIGIL, "deliver", "--limit", str(n * 2)], env)
            again_wall, again = _run([*VIGIL, "deliver"], env)
    finally:
        controller.stop()
    python = platform.python_version()
    print(f"machine: {platform.machine()} {os.cpu_count()} cpus, Python {python}")
    cadence = "one daily digest" if args.digest else "one e-mail per event"
    print(f"rows: {n}; persons watched: {watched} ({cadence}); SQLite (SQLCipher)")
    for label, wall in results.items():
        print(f"second import, {label}: {wall:.2f} s")
    extra = results["every person watched"] - results["nobody watches"]
    print(f"cost of {notifications} notifications + outbox rows: {extra:+.2f} s")
    print(f"vigil deliver: {out.strip()} in {deliver_wall:.2f} s "
          f"({inbox.count} e-mails received for {notifications} notifications)")  # fmt: skip
    print(f"second vigil deliver: {again.strip()} in {again_wall:.2f} s")


if __name__ == "__main__":
    main()
