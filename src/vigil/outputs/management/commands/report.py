"""`vigil report wgad|appeal|brief PERSON --format docx|pdf -o FILE`."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import ngettext

from vigil.core.errors import Forbidden
from vigil.core.files import check_output, write_output
from vigil.outputs.exporting import all_public, drawn_on, may_export_all
from vigil.outputs.render import FORMATS
from vigil.outputs.services import BUILDERS, draft_file
from vigil.policy.access import restrict
from vigil.policy.acting import ActingCommand
from vigil.policy.auditing import audit
from vigil.policy.quotas import consume
from vigil.records.lookup import resolve_person
from vigil.records.models import Person

HELP = {
    "wgad": "WGAD individual communication draft",
    "appeal": "Special Procedures urgent appeal / allegation letter draft",
    "brief": "one-page case brief",
}


class Command(ActingCommand):
    help = (
        "Drafts advocates send: WGAD communication, urgent appeal, case brief (DOCX or PDF); "
        "`report country` is the country report."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True)
        for kind in BUILDERS:
            p = sub.add_parser(kind, help=HELP[kind], called_from_command_line=True)
            p.add_argument("person", help="the person's id or a name that resolves to one person")
            p.add_argument("--format", choices=sorted(FORMATS), default="docx", help="default docx")
            p.add_argument("-o", "--output", type=Path, required=True, help="write to this file")
        country = sub.add_parser(
            "country",
            help="country report with charts (same as `vigil country-report`)",
            called_from_command_line=True,
        )
        country.add_argument("--format", choices=["pdf", "html"], default="pdf", help="default pdf")
        country.add_argument("-o", "--output", type=Path, required=True, help="write to this file")

    def handle(self, *args: Any, **options: Any) -> None:
        check_output(options["output"])
        if options["kind"] == "country":
            from django.core.management import call_command

            call_command(
                "country-report",
                "--format",
                options["format"],
                "-o",
                str(options["output"]),
                acting_user=self.user.get_username(),
                stdout=self.stdout,
            )
            return
        # Only persons the acting user may view are found (or listed when a name is ambiguous).
        person = resolve_person(
            options["person"], restrict(self.user, "view", Person.objects.all())
        )
        # A draft is an export, as on the web: every record it draws on must be exportable
        # by the acting user; unless all of it is public it counts and is audited.
        records = drawn_on(person)
        route = f"cli:report {options['kind']}"
        if not may_export_all(self.user, records):
            audit("denied", actor=self.user, obj=person, action="export", route=route)
            raise Forbidden("This draft draws on records the acting user may not export.")
        result = draft_file(self.user, options["kind"], person, options["format"])
        if not all_public(records):
            consume(self.user, "export")
            audit(
                "export",
                actor=self.user,
                obj=person,
                action="export",
                format=options["format"],
                route=route,
                sha256=hashlib.sha256(result.content).hexdigest(),
                size=len(result.content),
            )
        write_output(options["output"], result.content)
        missing = sum(1 for m in result.draft.missing if m.required)
        cited = len(result.draft.footnotes)
        self.stdout.write(
            f"Wrote {options['output']}: "
            + ngettext("%(n)d source cited", "%(n)d sources cited", cited) % {"n": cited}
            + ", "
            + ngettext("%(n)d required field missing.", "%(n)d required fields missing.", missing)
            % {"n": missing}
        )
