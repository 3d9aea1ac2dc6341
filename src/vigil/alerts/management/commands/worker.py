"""`vigil worker`: run `vigil deliver` every N seconds until stopped."""

from __future__ import annotations

import signal
import threading
from datetime import timedelta
from typing import Any

from django.db import close_old_connections

from vigil.alerts.delivery import BATCH, LEASE, deliver_due
from vigil.core.commands import VigilCommand
from vigil.core.errors import ValidationFailed
from vigil.core.serving import check_shared_configuration


class Command(VigilCommand):
    help = "Deliver alerts every N seconds (SIGTERM or Ctrl-C stops it between runs)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--every", type=float, default=30.0, help="seconds between runs")
        parser.add_argument("--runs", type=int, default=0, help="stop after N runs (0: never)")
        parser.add_argument(
            "--limit",
            type=int,
            default=BATCH,
            help="rows one run claims (workers on several "
            "hosts share the outbox: a smaller batch spreads it between them)",
        )
        parser.add_argument(
            "--lease",
            type=float,
            default=LEASE.total_seconds(),
            help="seconds a claimed row stays this worker's before another may retry it",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        every = options["every"]
        if every <= 0 or options["lease"] <= 0:
            raise ValidationFailed("--every and --lease must be positive numbers of seconds.")
        limit = options["limit"]
        if limit <= 0:
            raise ValidationFailed("--limit must be a positive number of rows.")
        lease = timedelta(seconds=options["lease"])
        check_shared_configuration()
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        runs = 0
        while not stop.is_set():
            close_old_connections()
            report = deliver_due(limit=limit, lease=lease)
            if report.claimed:
                self.stdout.write(
                    f"sent {report.sent}, failed {report.failed}, gave up {report.gave_up}, "
                    f"dropped {report.dropped}"
                )
            runs += 1
            if options["runs"] and runs >= options["runs"]:
                break
            # A full batch: more is waiting, go on at once.
            if report.claimed < limit:
                stop.wait(every)
