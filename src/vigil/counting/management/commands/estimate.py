import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from vigil.core.commands import VigilCommand
from vigil.counting import METHODS, estimate, read_overlap_table


class Command(VigilCommand):
    help = "Estimate how many persons no list recorded (multiple systems estimation)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", type=Path, help="CSV: one 0/1 column per list, then a count column"
        )
        parser.add_argument("--method", choices=METHODS, default="loglinear")
        parser.add_argument("--seed", type=int, default=None, help="seed of the LCMCR sampler")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        table = read_overlap_table(options["file"])
        result = estimate(table, method=options["method"], seed=options["seed"])
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            self.stdout.write(result.as_text())
