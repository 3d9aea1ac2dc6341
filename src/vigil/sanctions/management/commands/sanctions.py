import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.management.base import CommandParser
from tqdm import tqdm

from vigil.core.errors import Forbidden, ImportFailed, ValidationFailed
from vigil.core.files import check_output, decode_text, read_text_lines, write_output
from vigil.policy.access import allows, restrict
from vigil.policy.acting import ActingCommand, require_reach
from vigil.sanctions import lists, screening
from vigil.sanctions.batch import read_queries

if TYPE_CHECKING:
    from vigil.accounts.types import User


class Command(ActingCommand):
    help = "Sanctions lists: import a list, screen names, screen the record's perpetrators."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import", help="import or update a list", called_from_command_line=True
        )
        imp.add_argument("kind", choices=sorted(lists.KINDS), help="which list's format")
        imp.add_argument(
            "file",
            type=Path,
            help="the list file (OFAC: sdn.csv, with alt.csv and add.csv beside it)",
        )
        imp.add_argument("--name", help="the list's name in Vigil (default: KIND)")
        imp.add_argument("--version-date", help="which version of the list this is (YYYY-MM-DD)")
        imp.add_argument("--partial", action="store_true", help="keep readable entries")
        imp.add_argument(
            "--no-screen",
            action="store_true",
            help="do not screen the record's perpetrators afterwards",
        )
        scr = sub.add_parser(
            "screen",
            help="screen names from a file (one per line, "
            "optionally name<TAB>YYYY[-MM-DD]); - reads standard input",
            called_from_command_line=True,
        )
        scr.add_argument("file", help="the file of names, or - for standard input")
        scr.add_argument("--list", dest="list_name", help="only this list")
        scr.add_argument("--json", action="store_true", help="one JSON line per query")
        scr.add_argument(
            "--organisations",
            action="store_true",
            help="the names are of organisations, not persons",
        )
        sub.add_parser(
            "lists", help="the imported lists and their versions", called_from_command_line=True
        )
        gap = sub.add_parser(
            "gap",
            help="the sanctions gap report (text, csv, html or pdf)",
            called_from_command_line=True,
        )
        gap.add_argument(
            "--format", choices=["text", "csv", "html", "pdf"], default="text", help="default text"
        )
        gap.add_argument("-o", "--output", type=Path, help="write to this file")
        gap.add_argument(
            "--role",
            action="append",
            help="only perpetrators with this role (judge, prosecutor, ...); repeatable",
        )
        dos = sub.add_parser(
            "dossier",
            help="designation dossier (PDF) for one perpetrator",
            called_from_command_line=True,
        )
        dos.add_argument("person", help="the person's id or a name that resolves to one person")
        dos.add_argument("-o", "--output", type=Path, required=True, help="the PDF to write")
        dos.add_argument(
            "--organisation",
            action="store_true",
            help="the perpetrator is an organisation (its id or a name)",
        )
        dec = sub.add_parser(
            "decide", help="confirm or reject a screening candidate", called_from_command_line=True
        )
        dec.add_argument("person", help="the person's id or name")
        dec.add_argument("list_name", help="the list's name in Vigil (vigil sanctions lists)")
        dec.add_argument("entity_id", help="the entry's id on that list")
        dec.add_argument(
            "decision", choices=["confirmed", "rejected", "pending"], help="the decision"
        )
        dec.add_argument("--note", default="", help="why (kept with the decision)")
        dec.add_argument(
            "--organisation",
            action="store_true",
            help="the perpetrator is an organisation (its id or a name)",
        )
        sub.add_parser(
            "rescreen",
            help="screen every perpetrator against every list",
            called_from_command_line=True,
        )

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _import(self, options: dict[str, Any]) -> None:
        # A list is public reference data; screening afterwards writes internal candidates.
        require_reach(self.user, "add", "internal", "sanctions import")
        version = None
        if options["version_date"]:
            try:
                version = dt.date.fromisoformat(options["version_date"])
            except ValueError:
                raise ValidationFailed(
                    f"--version-date {options['version_date']!r} is not YYYY-MM-DD"
                ) from None
        with tqdm(unit="entry", desc=options["file"].name, disable=None, leave=False) as bar:
            try:
                report = lists.import_list(
                    options["kind"],
                    options["file"],
                    name=options["name"],
                    version_date=version,
                    partial=options["partial"],
                    progress=bar.update,
                )
            except ImportFailed as exc:
                for line, reason in exc.problems[:50]:
                    self.stderr.write(f"  line {line}: {reason}")
                raise
        self.stdout.write(
            f"{report.name} (version {report.version}): {report.read} entries read; "
            f"{report.added} added, {report.changed} changed, {report.unchanged} unchanged, "
            f"{report.removed} removed."
        )
        for line, reason in report.problems:
            self.stdout.write(f"  line {line}: {reason} (skipped)")
        if not options["no_screen"]:
            from vigil.sanctions.models import SanctionsList

            result = screening.screen(lists=[SanctionsList.objects.get(name=report.name)])
            self.stdout.write(
                f"Screened {result.screened} perpetrators: {result.new_candidates} new "
                "candidates await review."
            )

    def _screen(self, options: dict[str, Any]) -> None:
        if options["file"] == "-":
            raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
            data = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogateescape")
            source = decode_text(data, "standard input")
        else:
            source = read_text_lines(Path(options["file"]))
        queries = list(read_queries(source))
        if not queries:
            where = "standard input" if options["file"] == "-" else options["file"]
            raise ValidationFailed(
                f"{where}: no names to screen (the file is empty or holds only blank lines "
                "and # comments)"
            )
        found = screening.screen_names(
            queries, list_name=options["list_name"], organisations=options["organisations"]
        )
        for name, hits in found:
            if options["json"]:
                self.stdout.write(
                    json.dumps(
                        {"query": name, "matches": [h.as_dict() for h in hits]}, ensure_ascii=False
                    )
                )
                continue
            self.stdout.write(f"{name}")
            if not hits:
                self.stdout.write("    no candidate above the review threshold")
            for h in hits:
                verdict = "MATCH" if h.match else "review"
                self.stdout.write(
                    f"    {h.score:.2f} {verdict:<6} {h.list} {h.entity_id}  {h.name}"
                    f"\n           {h.explanation}"
                )

    def _lists(self, options: dict[str, Any]) -> None:
        from vigil.sanctions.models import SanctionsList

        found = list(SanctionsList.objects.all())
        if not found:
            self.stdout.write("No sanctions list imported yet (vigil sanctions import KIND FILE).")
        for lst in found:
            stale = "  STALE (older than 90 days or undated)" if lst.is_stale() else ""
            self.stdout.write(
                f"{lst.name:<12} {lst.issuer:<6} version {lst.version_label}  "
                f"{lst.entity_count} entries, imported {lst.imported_at:%Y-%m-%d}{stale}"
            )

    def _gap(self, options: dict[str, Any]) -> None:
        from vigil.sanctions import reports
        from vigil.sanctions.gap import gap_report

        if options["output"] is not None:
            check_output(options["output"])
        report = gap_report(self.user, roles=options["role"])
        fmt = options["format"]
        if fmt == "csv":
            _write(self, reports.gap_csv(report), options["output"])
        elif fmt == "html":
            _write(self, reports.gap_html(report), options["output"])
        elif fmt == "pdf":
            _write(self, reports.gap_pdf(report), options["output"])
        else:
            lines = [*report.summary()]
            for lst in report.stale_lists:
                lines.append(f"Warning: {lst.name} (version {lst.version_label}) is stale.")
            for row in report.rows:
                lines.append(
                    f"{row.of_person.display_name} ({', '.join(row.role_labels)}, "
                    f"{len(row.acts)} acts, {len(row.victims)} victims)"
                )
                lines.append(f"    sentences: {reports.totals_text(row.totals)}")
                lines += [f"    {s.text}" for s in row.statuses] or ["    no list loaded"]
            if report.organisations:
                lines.append("Perpetrator organisations:")
            for row in report.organisations:
                lines.append(
                    f"{row.display_name} (organisation; {', '.join(row.role_labels)}, "
                    f"{len(row.acts)} acts, {len(row.victims)} victims)"
                )
                lines += [f"    {s.text}" for s in row.statuses] or ["    no list loaded"]
            _write(self, "\n".join(lines), options["output"])

    def _dossier(self, options: dict[str, Any]) -> None:
        from vigil.sanctions import reports

        check_output(options["output"])
        person = _perpetrator(self.user, options)
        _write(self, reports.dossier_pdf(self.user, person), options["output"])

    def _decide(self, options: dict[str, Any]) -> None:
        from vigil.sanctions.models import ScreeningMatch

        person = _perpetrator(self.user, options)
        side = "organisation" if options["organisation"] else "person"
        match = (
            restrict(self.user, "view", ScreeningMatch.objects.all())
            .filter(
                **{side: person},
                listed_entity__sanctions_list__name=options["list_name"],
                listed_entity__entity_id=options["entity_id"],
            )
            .first()
        )
        if match is None:
            raise ValidationFailed(
                f"no screening candidate {options['list_name']} {options['entity_id']} "
                f"for {person.display_name}"
            )
        if not allows(self.user, "change", match):
            raise Forbidden("The acting user may not decide on this screening candidate.")
        if options["decision"] == "pending" and match.decision != "pending":
            # Back to review: the page's Undo, audited as one.
            screening.undo_decision(match, user=self.user, note=options["note"])
        else:
            screening.decide(match, options["decision"], user=self.user, note=options["note"])
        self.stdout.write(f"{person.display_name} ~ {match.matched_name}: {options['decision']}")

    def _rescreen(self, options: dict[str, Any]) -> None:
        require_reach(self.user, "add", "internal", "sanctions rescreen")
        result = screening.screen()
        self.stdout.write(
            f"Screened {result.screened} perpetrators against {len(result.lists)} lists: "
            f"{result.new_candidates} new candidates, {result.updated} updated."
        )


def _persons(user: "User") -> Any:
    """The persons ``user`` may view: the only ones a name or id can resolve to."""
    from vigil.records.models import Person

    return restrict(user, "view", Person.objects.all())


def _write(command: Command, data: str | bytes, output: Path | None) -> None:
    if output is None:
        if isinstance(data, bytes):
            raise ValidationFailed("a PDF needs -o FILE")
        command.stdout.write(data)
        return
    write_output(output, data)
    command.stdout.write(f"Wrote {output}")


def _perpetrator(user: "User", options: dict[str, Any]) -> Any:
    """The person (or, with ``--organisation``, the organisation) the command names."""
    from vigil.records.lookup import resolve_organisation, resolve_person
    from vigil.records.models import Organisation

    if options.get("organisation"):
        orgs = restrict(user, "view", Organisation.objects.all())
        return resolve_organisation(options["person"], orgs)
    return resolve_person(options["person"], _persons(user))
