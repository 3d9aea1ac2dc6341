import json
from pathlib import Path
from typing import Any

from tqdm import tqdm

from vigil.core.errors import ImportFailed, VigilError
from vigil.importers.viasna import import_viasna
from vigil.importers.zubr import import_zubr
from vigil.importers.zubr_records import count_records
from vigil.policy.acting import ActingCommand, require_reach

FORMATS = {"viasna": import_viasna, "zubr": import_zubr}


class Command(ActingCommand):
    help = "Import a file into the record (formats: viasna, zubr)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("format", choices=sorted(FORMATS), help="the file's format")
        parser.add_argument("file", type=Path, help="the CSV file to import")
        parser.add_argument(
            "--partial",
            action="store_true",
            help="keep the good rows when some rows are bad (the bad ones are reported)",
        )
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        # Imported records are internal and created by the acting user (the change context's).
        require_reach(self.user, "add", "internal", "import")
        path: Path = options["file"]
        total = count_records(path) if options["format"] == "zubr" else _count_lines(path)
        with tqdm(total=total, unit="row", desc=path.name, disable=None, leave=False) as bar:
            try:
                report = FORMATS[options["format"]](
                    path, partial=options["partial"], progress=bar.update
                )
            except ImportFailed as exc:
                for line, reason in exc.problems[:50]:
                    self.stderr.write(f"  {exc.unit} {line}: {reason}")
                if len(exc.problems) > 50:
                    self.stderr.write(f"  ... and {len(exc.problems) - 50} more")
                raise
        summary = report.as_dict()
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{path.name}: {report.rows} rows read, {report.imported} imported, "
            f"{len(report.problems)} rejected."
        )
        for problem in report.problems:
            self.stdout.write(f"  {report.unit} {problem.line}: {problem.reason} (not imported)")
        for problem in report.review:
            self.stdout.write(f"  {report.unit} {problem.line}: {problem.reason} (imported)")
        for line, rid, old, new in report.url_changes:
            self.stdout.write(
                f"  line {line}: id {rid} was recorded with {old}; now {new} "
                "(both pages stay cited)"
            )
        if report.renamed:
            self.stdout.write(
                f"  Persons renamed (each keeps the old name as an alias): {report.renamed}."
            )
        created = report.upsert.total("created")
        updated = report.upsert.total("updated")
        self.stdout.write(
            f"Records created: {created}, updated: {updated}, "
            f"unchanged: {report.upsert.total('unchanged')}."
        )
        for label, n in sorted(report.upsert.created.items()):
            if n:
                self.stdout.write(f"  + {n:6d} {label.split('.')[-1]}")
        if report.imported and not created and not updated:
            self.stdout.write("Nothing changed: the record already holds this file.")
        for note in report.notes():
            self.stdout.write(note)


def _count_lines(path: Path) -> int | None:
    try:
        with path.open("rb") as handle:
            return max(0, sum(1 for _ in handle) - 1)
    except OSError as exc:
        raise VigilError(f"{path}: cannot read ({exc.strerror})") from None
