"""`vigil watch add RECORD | remove RECORD | list`: the acting user's watchlist."""

from __future__ import annotations

from typing import Any

from vigil.alerts.digest import cadence_of, set_cadence
from vigil.alerts.models import Cadence
from vigil.alerts.watching import find_watchable, unwatch, watch, watches_of
from vigil.policy.acting import ActingCommand


class Command(ActingCommand):
    help = (
        "Watch a person (by name or id), an organisation or a case; list your watches; "
        "choose immediate e-mails or a daily digest."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="watch a record: a person's name, or a record id")
        add.add_argument(
            "record", help="a person's name, or a person's, organisation's or case's id"
        )
        remove = sub.add_parser("remove", help="stop watching a record")
        remove.add_argument("record", help="the watched record (as for add)")
        sub.add_parser("list", help="the records you watch (by kind and id)")
        email = sub.add_parser(
            "email", help="alert e-mails at once (immediate) or one a day (daily); show it"
        )
        email.add_argument(
            "cadence", nargs="?", choices=Cadence.values, help="the new choice (shown when omitted)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "email":
            if options["cadence"]:
                set_cadence(self.user, options["cadence"])
            self.stdout.write(f"Alert e-mails: {cadence_of(self.user)}.")
            return
        if action == "list":
            for item, record in watches_of(self.user):
                state = "" if record is not None else "  (no longer visible to you)"
                self.stdout.write(f"{item.target_type.model:<14}{item.target_id}{state}")
            return
        record = find_watchable(self.user, options["record"])
        kind = record._meta.model_name
        if action == "add":
            _, created = watch(self.user, record)
            verb = "Now watching" if created else "Already watching"
        else:
            verb = "Stopped watching" if unwatch(self.user, record) else "Was not watching"
        self.stdout.write(f"{verb} {kind} {record.pk}.")
