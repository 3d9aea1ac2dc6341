"""`vigil opendata export`: the redacted public export (published records only)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from vigil.opendata.writers import FORMATS, export_open_data
from vigil.policy.acting import ActingCommand, require_reach


class Command(ActingCommand):
    reads_from_replica = True
    help = "Open data: export the published records (CSV, JSON or FollowTheMoney) to a folder."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        exp = sub.add_parser(
            "export",
            help="write published records, allow-listed fields only",
            called_from_command_line=True,
        )
        exp.add_argument(
            "--format",
            choices=FORMATS,
            default="csv",
            help="csv (default), json, or ftm (FollowTheMoney entities)",
        )
        exp.add_argument("-o", "--output", type=Path, required=True, help="the folder to write")

    def handle(self, *args: Any, **options: Any) -> None:
        # Open data is published records only: the acting user needs export on public records.
        require_reach(self.user, "export", "public", "opendata export")
        files = export_open_data(options["output"], options["format"])
        for path in files:
            self.stdout.write(str(path))
