"""`vigil country-report`: the country report (PDF/HTML), one figure's table, series imports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from vigil.core.errors import ValidationFailed
from vigil.core.files import check_output, write_output
from vigil.policy.acting import ActingCommand, require_reach
from vigil.reports.coverage import LEVELS, Coverage
from vigil.reports.document import FORMATS, render
from vigil.reports.figures import FIGURES, figure
from vigil.reports.series import SERIES_IMPORTERS


class Command(ActingCommand):
    help = (
        "The country report with charts (--format pdf -o FILE), one figure's table "
        "(figure NAME --csv), or import a published series (import-series lawtrend FILE)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=FORMATS, default="pdf", help="default pdf")
        parser.add_argument("-o", "--output", type=Path, help="write the report to this file")
        parser.add_argument(
            "--confidentiality",
            choices=LEVELS,
            default="internal",
            help="the most confidential level of record counted (default: internal)",
        )
        sub = parser.add_subparsers(dest="action")
        fig = sub.add_parser(
            "figure", help="print one figure's full table", called_from_command_line=True
        )
        fig.add_argument("name", choices=sorted(FIGURES), help="the figure")
        out = fig.add_mutually_exclusive_group()
        out.add_argument("--csv", action="store_true", help="as CSV (the default)")
        out.add_argument("--json", action="store_true", help="as JSON, with period and sources")
        imp = sub.add_parser(
            "import-series",
            help="import a published statistical series (idempotent)",
            called_from_command_line=True,
        )
        imp.add_argument("kind", choices=sorted(SERIES_IMPORTERS), help="whose series")
        imp.add_argument("file", type=Path, help="the published file")

    def handle(self, *args: Any, **options: Any) -> None:
        coverage = Coverage(self.user, ceiling=options["confidentiality"])
        action = options.get("action")
        if action == "figure":
            self._figure(options["name"], coverage, as_json=options["json"])
        elif action == "import-series":
            self._import(options["kind"], options["file"])
        else:
            self._report(options["format"], options["output"], coverage)

    def _report(self, fmt: str, output: Path | None, coverage: Coverage) -> None:
        if output is None:
            raise ValidationFailed("Give the file to write with -o FILE.")
        check_output(output)
        write_output(output, render(fmt, coverage))
        self.stdout.write(f"Country report written to {output}")

    def _figure(self, name: str, coverage: Coverage, *, as_json: bool) -> None:
        found = figure(name, coverage)
        if not as_json:
            self.stdout.write(found.to_csv(), ending="")
            return
        body = {
            "figure": found.name,
            "title": found.title,
            "period": found.period_text,
            "as_of": found.generated.isoformat(),
            "source": found.attribution.text(),
            "method": found.method,
            "notes": found.notes,
            "columns": list(found.columns),
            "rows": [list(r) for r in found.rows],
        }
        self.stdout.write(json.dumps(body, ensure_ascii=False, indent=1, default=str))

    def _import(self, kind: str, path: Path) -> None:
        # A published series is recorded as published data (public statistics).
        require_reach(self.user, "add", "public", "country-report import-series")
        if not path.is_file():
            raise ValidationFailed(f"No such file: {path}")
        report = SERIES_IMPORTERS[kind](path)
        self.stdout.write(
            f"{kind}: {report.total('created')} created, {report.total('updated')} updated, "
            f"{report.total('unchanged')} unchanged"
        )
