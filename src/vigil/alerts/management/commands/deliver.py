"""`vigil deliver`: send the due e-mails and webhook calls once (run it from cron)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from vigil.alerts.delivery import BATCH, LEASE, deliver_due, outbox_status
from vigil.alerts.models import DeliveryLog, Outcome
from vigil.core.commands import VigilCommand
from vigil.core.errors import ValidationFailed


class Command(VigilCommand):
    help = "Send due alert e-mails and webhooks once; retries later what failed."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--limit", type=int, default=BATCH, help="rows per run")
        parser.add_argument(
            "--lease",
            type=float,
            default=LEASE.total_seconds(),
            help="seconds a claimed row stays this run's before another run may retry it",
        )
        parser.add_argument(
            "--status", action="store_true", help="count the outbox rows by state; send nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["status"]:
            counts = outbox_status()
            self.stdout.write(", ".join(f"{k} {v}" for k, v in counts.items()))
            for row in DeliveryLog.objects.exclude(outcome=Outcome.SENT).order_by("-at")[:5]:
                self.stdout.write(f"{row.at:%Y-%m-%d %H:%M} outbox {row.outbox_id}: {row.detail}")
            return
        if options["limit"] < 1 or options["lease"] <= 0:
            raise ValidationFailed("--limit and --lease must be positive.")
        report = deliver_due(limit=options["limit"], lease=timedelta(seconds=options["lease"]))
        self.stdout.write(
            f"sent {report.sent}, failed {report.failed} (retried later), "
            f"gave up {report.gave_up}, dropped {report.dropped} (not visible to the recipient); "
            f"reminders {report.reminders}, digests composed {report.digests}"
        )
