"""`vigil lockdown USER`: disable an account, end its sessions, revoke its tokens and grants."""

from __future__ import annotations

from typing import Any

from vigil.accounts.lockdown import REASONS, lockdown
from vigil.accounts.models import User
from vigil.core.commands import VigilCommand
from vigil.core.errors import LockdownIncomplete, NotFound


class Command(VigilCommand):
    help = "Lock an account down at once: disable it, end sessions, revoke tokens and grants."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username", help="the account to lock down")
        parser.add_argument(
            "--reason", default="other", choices=REASONS, help="why (a code kept in the audit log)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise NotFound(f"No account named {options['username']!r}.")
        report = lockdown(user, reason=options["reason"])
        self.stdout.write(f"Account {report.username!r} disabled (password made unusable).")
        self.stdout.write(f"  sessions ended:     {report.sessions}")
        self.stdout.write(f"  API tokens revoked: {report.tokens}")
        for name, count in report.revoked.items():
            self.stdout.write(f"  {name}: {count} revoked")
        if report.failures:
            failed = "; ".join(f"{name}: {err}" for name, err in report.failures.items())
            raise LockdownIncomplete(
                f"The account is disabled, but these revokers failed: {failed}. "
                "Revoke those grants by hand."
            )
