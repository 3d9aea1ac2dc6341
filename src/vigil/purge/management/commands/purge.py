"""`vigil purge`: hard-delete a soft-deleted record, requested and approved by two admins."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import CommandParser

from vigil.core.commands import VigilCommand
from vigil.core.errors import NotFound, ValidationFailed
from vigil.purge.workflow import REASONS, approve_purge, pending_requests, request_purge


def _admin(username: str) -> Any:
    from vigil.accounts.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        raise NotFound(f"No account named {username!r}.")
    return user


def _code(options: dict[str, Any], username: str) -> str:
    if options.get("code"):
        return str(options["code"])
    if not sys.stdin.isatty():
        raise ValidationFailed("Give --code, the current code of the admin's authenticator.")
    return getpass.getpass(f"Authenticator code of {username}: ")


class Command(VigilCommand):
    help = "Purge a soft-deleted record for good: one admin requests, another approves."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        ask = actions.add_parser("request", help="request the purge of a soft-deleted record")
        ask.add_argument("model", help="kind of record, e.g. records.person")
        ask.add_argument("id", help="the record's id")
        ask.add_argument("--reason", required=True, choices=REASONS, help="a code for the log")
        approve = actions.add_parser("approve", help="approve another admin's request: deletes")
        approve.add_argument("request_id", type=int, help="the request's number")
        for sub in (ask, approve):
            sub.add_argument("--as", dest="admin", required=True, help="your admin username")
            sub.add_argument("--code", help="your authenticator code (asked when omitted)")
        actions.add_parser("list", help="list pending requests")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            for r in pending_requests():
                self.stdout.write(
                    f"{r.id:>8} {r.at:%Y-%m-%d %H:%M} {r.model} {r.object_id} "
                    f"{r.reason} ({r.rows} rows) by {r.requested_by}"
                )
            return
        admin = _admin(options["admin"])
        code = _code(options, options["admin"])
        if action == "request":
            request = request_purge(
                options["model"], options["id"], reason=options["reason"], admin=admin, code=code
            )
            self.stdout.write(
                f"Purge request {request.id}: {request.model} {request.object_id} and "
                f"{request.rows - 1} dependent row(s). Another administrator approves it with "
                f"`vigil purge approve {request.id} --as USERNAME`."
            )
        else:
            result = approve_purge(options["request_id"], admin=admin, code=code)
            parts = ", ".join(f"{n} {label}" for label, n in sorted(result.deleted.items()))
            self.stdout.write(
                f"Purged {result.request.model} {result.request.object_id}: {parts}; "
                f"{result.versions} version(s) of history."
            )
