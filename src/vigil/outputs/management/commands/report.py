"""`vigil report wgad|appeal|brief PERSON --format docx|pdf -o FILE`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from vigil.core.commands import VigilCommand
from vigil.outputs.render import FORMATS
from vigil.outputs.services import BUILDERS, draft_file
from vigil.records.lookup import resolve_person

HELP = {
    "wgad": "WGAD individual communication draft",
    "appeal": "Special Procedures urgent appeal / allegation letter draft",
    "brief": "one-page case brief",
}


class Command(VigilCommand):
    help = (
        "Drafts advocates send: WGAD communication, urgent appeal, case brief (DOCX or PDF); "
        "`report country` is the country report."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True)
        for kind in BUILDERS:
            p = sub.add_parser(kind, help=HELP[kind], called_from_command_line=True)
            p.add_argument("person", help="the person's id or a name that resolves to one person")
            p.add_argument("--format", choices=sorted(FORMATS), default="docx")
            p.add_argument("-o", "--output", type=Path, required=True, help="write to this file")
        country = sub.add_parser(
            "country", help="country report with charts (same as `vigil country-report`)",
            called_from_command_line=True,
        )
        country.add_argument("--format", choices=["pdf", "html"], default="pdf")
        country.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["kind"] == "country":
            from django.core.management import call_command

            call_command(
                "country-report", "--format", options["format"], "-o", str(options["output"]),
                stdout=self.stdout,
            )
            return
        person = resolve_person(options["person"])
        result = draft_file(options["kind"], person, options["format"])
        options["output"].write_bytes(result.content)
        missing = sum(1 for m in result.draft.missing if m.required)
        self.stdout.write(
            f"Wrote {options['output']}: {len(result.draft.footnotes)} sources cited, "
            f"{missing} required fields missing."
        )
