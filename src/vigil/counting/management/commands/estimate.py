import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from vigil.core.commands import VigilCommand
from vigil.counting import METHODS, estimate, read_overlap_table
from vigil.counting.lcmcr import LcmcrSettings


class Command(VigilCommand):
    help = "Estimate how many persons no list recorded (multiple systems estimation)."

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = LcmcrSettings()
        parser.add_argument(
            "file", type=Path, help="CSV: one 0/1 column per list, then a count column"
        )
        parser.add_argument(
            "--method",
            choices=METHODS,
            default="loglinear",
            help="log-linear models chosen by AIC (default) or the LCMCR latent-class model",
        )
        parser.add_argument("--seed", type=int, default=None, help="seed of the LCMCR sampler")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        lcmcr = parser.add_argument_group("LCMCR sampler")
        lcmcr.add_argument(
            "--burn-in", type=int, default=defaults.burn_in, help="iterations discarded first"
        )
        lcmcr.add_argument(
            "--samples", type=int, default=defaults.samples, help="draws kept per chain"
        )
        lcmcr.add_argument(
            "--thin", type=int, default=defaults.thin, help="iterations per kept draw"
        )
        lcmcr.add_argument(
            "--chains", type=int, default=defaults.chains, help="chains run side by side"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        table = read_overlap_table(options["file"])
        settings = replace(
            LcmcrSettings(),
            burn_in=options["burn_in"],
            samples=options["samples"],
            thin=options["thin"],
            chains=options["chains"],
        )
        result = estimate(
            table, method=options["method"], seed=options["seed"], lcmcr_settings=settings
        )
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            self.stdout.write(result.as_text())
