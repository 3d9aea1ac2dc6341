"""`vigil deliver`: send the due e-mails and webhook calls once (run it from cron)."""

from __future__ import annotations

from typing import Any

from vigil.alerts.delivery import BATCH, deliver_due
from vigil.core.commands import VigilCommand


class Command(VigilCommand):
    help = "Send due alert e-mails and webhooks once; retries later what failed."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--limit", type=int, default=BATCH, help="rows per run")

    def handle(self, *args: Any, **options: Any) -> None:
        report = deliver_due(limit=options["limit"])
        self.stdout.write(
            f"sent {report.sent}, failed {report.failed} (retried later), "
            f"gave up {report.gave_up}, dropped {report.dropped} (not visible to the recipient)"
        )
