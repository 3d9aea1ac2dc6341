"""`vigil webhooks add URL --secret SECRET [--events …] | list`: the acting user's webhooks."""

from __future__ import annotations

from typing import Any

from vigil.alerts.models import EventKind, Webhook
from vigil.alerts.watching import add_webhook, disable_webhook, parse_events
from vigil.policy.acting import ActingCommand


class Command(ActingCommand):
    help = "Add a signed webhook for your watches (admins, coordinators); list webhooks."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="POST signed JSON to URL for your watches")
        add.add_argument("url", help="the receiver's address (http:// or https://)")
        add.add_argument("--secret", required=True, help="shared secret (16+ characters)")
        add.add_argument(
            "--events",
            default="",
            help="comma-separated, default all: " + ",".join(EventKind.values),
        )
        sub.add_parser("list", help="your webhooks (URLs, events, active); never the secrets")
        disable = sub.add_parser("disable", help="stop sending to a webhook (kept in the log)")
        disable.add_argument("id", help="the webhook's id (vigil webhooks list)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "add":
            hook = add_webhook(
                self.user, options["url"], options["secret"], parse_events(options["events"])
            )
            events = ",".join(hook.events) or "all events"
            self.stdout.write(f"Webhook {hook.pk} added for {events}.")
            return
        if options["action"] == "disable":
            disable_webhook(self.user, options["id"])
            self.stdout.write(f"Webhook {options['id']} disabled.")
            return
        for hook in Webhook.objects.filter(owner=self.user):
            events = ",".join(hook.events) or "all"
            state = "active" if hook.active else "inactive"
            self.stdout.write(f"{hook.pk}  {state:<9}{events:<28}{hook.url}")
