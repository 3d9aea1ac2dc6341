"""Data commands act as a named user (`--as USERNAME` or VIGIL_USER), through the one policy.

Holding the database key makes someone an operator, not a user: a command that reads or
writes the record names the Vigil account it acts for, and that account's role, record
confidentiality and grants decide what it may see or change, as on the web and the API.
Host-level commands (init, keys, backup, lockdown, audit, serve, demo, purge) stay operator
commands and do not take ``--as``.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandParser

from vigil.accounts.auditing import audit
from vigil.accounts.models import User
from vigil.core.commands import VigilCommand
from vigil.core.context import change_context
from vigil.core.errors import Forbidden
from vigil.core.replica import reading_from_replica
from vigil.policy.access import role_of
from vigil.policy.rules import Reach, reach_for

if TYPE_CHECKING:
    from vigil.accounts.types import User

ENV = "VIGIL_USER"
OPTION = "--as"
DEST = "acting_user"


def acting_user(username: str | None, command: str) -> User:
    """The active user ``username`` (or $VIGIL_USER) names; Forbidden when missing or not allowed.

    Deny by default: no name, an unknown name, a disabled account or one without a role all
    refuse the command with one line saying what to do.
    """
    name = (username or os.environ.get(ENV, "")).strip()
    if not name:
        raise Forbidden(
            f"`vigil {command}` reads or writes the record: name the Vigil account it acts "
            f"for with {OPTION} USERNAME (or {ENV}=USERNAME)."
        )
    user = User.objects.filter(username=name).first()
    if user is None or role_of(user) is None:
        if user is not None:
            audit("denied", actor=user, action="cli", route=f"cli:{command}", reason="inactive")
        raise Forbidden(
            f"No active Vigil account named {name!r} with a role: `vigil {command}` refused."
        )
    return user


def require_reach(user: User, action: str, level: str, command: str) -> None:
    """Refuse unless the rules table gives ``user`` ``action`` on some records at ``level``."""
    role = role_of(user)
    if role is None or reach_for(role, action, level) is Reach.NONE:
        audit("denied", actor=user, action=action, route=f"cli:{command}", reason="role")
        raise Forbidden(
            f"The account {user.get_username()!r} ({role or 'no role'}) may not {action} "
            f"{level} records: `vigil {command}` refused."
        )


def hoist_as(argv: list[str]) -> list[str]:
    """``argv`` with ``--as NAME`` moved before any sub-command, where the parser reads it."""
    head, rest = argv[:2], argv[2:]
    found: list[str] = []
    kept: list[str] = []
    i = 0
    while i < len(rest):
        arg = rest[i]
        if arg == OPTION and i + 1 < len(rest):
            found = [OPTION, rest[i + 1]]
            i += 2
            continue
        if arg.startswith(OPTION + "="):
            found = [arg]
        else:
            kept.append(arg)
        i += 1
    return [*head, *found, *kept]


class ActingCommand(VigilCommand):
    """A data command: ``self.user`` is the acting user, and the change context is theirs."""

    user: User
    # A command that only reads the record (stats, checks, open data, reports) reads it from
    # the replica when one is configured (vigil.core.replica); the acting user, the policy
    # and the audit log are read and written on the primary either way.
    reads_from_replica = False

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            OPTION,
            dest=DEST,
            metavar="USERNAME",
            default=None,
            help=f"the Vigil account this command acts for (default: ${ENV}); required",
        )
        return parser

    def run_from_argv(self, argv: list[str]) -> None:
        super().run_from_argv(hoist_as(argv))

    def execute(self, *args: Any, **options: Any) -> Any:
        command = " ".join(a for a in sys.argv[1:3] if not a.startswith("-")) or self._name()
        self.user = acting_user(options.get(DEST), command=self._name())
        with change_context("cli", actor=self.user, detail=f"vigil {command}"[:200]):
            if not self.reads_from_replica:
                return BaseCommand.execute(self, *args, **options)
            with reading_from_replica():
                return BaseCommand.execute(self, *args, **options)

    def _name(self) -> str:
        return self.__class__.__module__.rsplit(".", 1)[-1]
