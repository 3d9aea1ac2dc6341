import csv
import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from vigil.core.commands import VigilCommand
from vigil.core.errors import ValidationFailed
from vigil.names import OPERATING_THRESHOLD, compare


class Command(VigilCommand):
    help = "Names: compare pairs of names in any script (score, decision, explanation)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        cmp = sub.add_parser(
            "compare",
            help="compare two names, or the pairs in a CSV file",
            called_from_command_line=True,
        )
        cmp.add_argument("names", nargs="*", help="two names (or use --file)")
        cmp.add_argument("--file", type=Path, help="CSV with columns name1,name2")
        cmp.add_argument("--json", action="store_true", help="one JSON line per pair")

    def handle(self, *args: Any, **options: Any) -> None:
        pairs = _pairs(options)
        for a, b in pairs:
            m = compare(a, b)
            decision = m.score >= OPERATING_THRESHOLD
            if options["json"]:
                self.stdout.write(
                    json.dumps(
                        {
                            "name1": a,
                            "name2": b,
                            "score": round(m.score, 4),
                            "match": decision,
                            "explanation": m.explanation,
                        },
                        ensure_ascii=False,
                    )
                )
            else:
                self.stdout.write(
                    f"{m.score:.2f} {'MATCH' if decision else 'no':<5} {a} ~ {b}\n"
                    f"      {m.explanation}"
                )


def _pairs(options: dict[str, Any]) -> list[tuple[str, str]]:
    if options["file"]:
        path: Path = options["file"]
        if not path.is_file():
            raise ValidationFailed(f"{path}: no such file")
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or not {"name1", "name2"} <= set(reader.fieldnames):
                raise ValidationFailed(f"{path.name}: needs the columns name1,name2")
            return [(r["name1"] or "", r["name2"] or "") for r in reader]
    if len(options["names"]) != 2:
        raise ValidationFailed("give two names, or --file PAIRS.csv")
    return [tuple(options["names"])]  # type: ignore[list-item]
