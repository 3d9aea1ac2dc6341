import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from vigil.core.commands import VigilCommand
from vigil.counting.person_lists import read_person_list


class Command(VigilCommand):
    help = "Link two person lists in any script (Fellegi–Sunter, weights learned by EM)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("left", type=Path, help="CSV with id,name (optional birth_date, sex)")
        parser.add_argument("right", type=Path, help="the other list, same columns")
        parser.add_argument(
            "--json", action="store_true", help="one JSON line per linked or review pair"
        )
        parser.add_argument("--seed", type=int, default=0, help="seed of the recall sample")

    def handle(self, *args: Any, **options: Any) -> None:
        # Fellegi–Sunter computes with numpy: imported here, not when `vigil --help` loads this.
        from vigil.counting.link import link

        left = read_person_list(options["left"])
        right = read_person_list(options["right"])
        result = link(left, right, seed=options["seed"])
        names = {("l", p.id): p.name for p in left} | {("r", p.id): p.name for p in right}
        for pair in result.pairs:
            if options["json"]:
                self.stdout.write(
                    json.dumps(
                        {
                            "left": pair.left,
                            "right": pair.right,
                            "probability": pair.probability,
                            "match": pair.match,
                        },
                        ensure_ascii=False,
                    )
                )
            else:
                self.stdout.write(
                    f"{pair.probability:.3f} {'MATCH' if pair.match else 'review':<6} "
                    f"{pair.left} {names['l', pair.left]} ~ {pair.right} {names['r', pair.right]}"
                )
        # The summary goes to stderr with --json so that stdout stays one JSON object a line.
        stream = sys.stderr if options["json"] else self.stdout
        stream.write(result.summary() + "\n")
