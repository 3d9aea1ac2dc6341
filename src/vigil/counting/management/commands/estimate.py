"""`vigil estimate`: multiple systems estimation from an overlap table or linked person lists.

The estimators compute with numpy (and scipy, statsmodels): the methods import them, so that
`vigil --help`, which loads every command module, does not.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import replace
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.management.base import CommandParser

from vigil.core.commands import VigilCommand
from vigil.core.context import change_context
from vigil.core.errors import ValidationFailed
from vigil.counting.estimate_options import (
    add_link_draws_option,
    add_method_options,
    add_stored_options,
)
from vigil.counting.person_lists import read_person_list
from vigil.policy.acting import DEST, ENV, OPTION, acting_user

if TYPE_CHECKING:
    from vigil.counting.uncertain_links import LinkedLists


class Command(VigilCommand):
    help = "Estimate how many persons no list recorded (multiple systems estimation)."

    def add_arguments(self, parser: CommandParser) -> None:
        from vigil.counting.lcmcr import LcmcrSettings

        defaults = LcmcrSettings()
        parser.add_argument(
            "files",
            type=Path,
            nargs="*",
            help="CSV: one 0/1 column per list, then a count column (with --from-links: two "
            "or more person lists, id,name[,birth_date,sex])",
        )
        add_method_options(parser)
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        links = parser.add_argument_group("linked lists (linkage uncertainty carried)")
        links.add_argument(
            "--from-links",
            action="store_true",
            help="the files are person lists: link every pair of them (as `vigil link`) and "
            "carry the links' uncertainty into the interval",
        )
        add_link_draws_option(links)
        saving = parser.add_argument_group("stored estimates (act as a Vigil account)")
        add_stored_options(saving)
        saving.add_argument(
            "--recompute",
            metavar="ID",
            default=None,
            help="recompute a stored estimate from its stored inputs and compare",
        )
        saving.add_argument(
            OPTION,
            dest=DEST,
            metavar="USERNAME",
            default=None,
            help=f"the Vigil account that saves or recomputes (default: ${ENV})",
        )
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
        from vigil.counting.lcmcr import LcmcrSettings
        from vigil.counting.stored import (
            compute,
            links_inputs,
            settings_json,
            store,
            table_inputs,
            used_seed,
        )
        from vigil.counting.table import read_overlap_table

        if options["recompute"]:
            self._recompute(options)
            return
        files: list[Path] = options["files"]
        if options["from_links"]:
            if len(files) < 2:
                raise ValidationFailed("--from-links needs two or more person lists")
            inputs = links_inputs(linked_from_files(files), options["link_draws"])
        else:
            if len(files) != 1:
                raise ValidationFailed("give one overlap table (or --from-links with lists)")
            inputs = table_inputs(read_overlap_table(files[0]))
        settings = replace(
            LcmcrSettings(),
            burn_in=options["burn_in"],
            samples=options["samples"],
            thin=options["thin"],
            chains=options["chains"],
        )
        stored_settings = settings_json(settings, options["method"])
        result = compute(inputs, options["method"], options["seed"], stored_settings)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            self.stdout.write(result.as_text())
        if options["save"] is not None:
            user = acting_user(options.get(DEST), command="estimate")
            command = reproducing_command(options, used_seed(result))
            with change_context("cli", actor=user, detail="vigil estimate --save"):
                row = store(
                    result,
                    inputs,
                    user=user,
                    label=options["save"],
                    category=options["category"],
                    command=command,
                    settings=stored_settings,
                    period=options["period"],
                )
            self.stderr.write(
                f"Stored as {row.pk}; `vigil estimate --recompute {row.pk}` recomputes it."
            )

    def _recompute(self, options: dict[str, Any]) -> None:
        from vigil.counting.models import StoredEstimate
        from vigil.counting.stored import reproduces
        from vigil.policy.access import restrict

        user = acting_user(options.get(DEST), command="estimate")
        visible = restrict(user, "view", StoredEstimate.objects.all())
        row = visible.filter(pk=_uuid(options["recompute"])).first()
        if row is None:
            raise ValidationFailed(f"no stored estimate {options['recompute']!r} you may view")
        same, again = reproduces(row)
        if options["json"]:
            self.stdout.write(
                json.dumps({"same": same, "stored": row.result, "recomputed": again.as_json()},
                           ensure_ascii=False)
            )
            return
        low, high = again.interval
        self.stdout.write(
            f"{row.label}: stored {row.estimate:,.1f} [{row.interval_low:,.1f}, "
            f"{row.interval_high:,.1f}]; recomputed {again.estimate:,.1f} [{low:,.1f}, "
            f"{high:,.1f}] — {'the same' if same else 'DIFFERENT'}."
        )
        if not same:
            self.stdout.write(f"Stored with {row.versions}; differences may come from versions.")


def _uuid(text: str) -> Any:
    import uuid

    try:
        return uuid.UUID(text)
    except ValueError as exc:
        raise ValidationFailed(f"{text!r} is not a stored estimate id") from exc


def linked_from_files(files: list[Path]) -> LinkedLists:
    """Read person lists and link every pair of them; a link's probability is the one
    `vigil link` reports, 0 when the names are not at least review-alike (no match)."""
    from vigil.counting.link import MATCH_NAME_SCORE, link
    from vigil.counting.uncertain_links import Link, LinkedLists, checked

    names = [f.stem for f in files]
    if len(set(names)) != len(names):
        raise ValidationFailed("the lists' file names must differ (they name the lists)")
    people = [read_person_list(f) for f in files]
    links: list[Link] = []
    for x, y in combinations(range(len(files)), 2):
        result = link(people[x], people[y])
        links += [
            Link((names[x], p.left), (names[y], p.right), p.probability)
            for p in result.pairs
            if p.name_score >= MATCH_NAME_SCORE
        ]
    members = {name: tuple(p.id for p in persons) for name, persons in zip(names, people,
                                                                              strict=True)}
    return checked(LinkedLists(members, tuple(links)))


def reproducing_command(options: dict[str, Any], seed: int | None) -> str:
    """The command line that repeats the run (file names without their folders)."""
    parts = ["vigil", "estimate", *(f.name for f in options["files"])]
    if options["from_links"]:
        parts += ["--from-links", "--link-draws", str(options["link_draws"])]
    parts += ["--method", options["method"]]
    if seed is not None:
        parts += ["--seed", str(seed)]
    if options["method"] == "lcmcr":
        for flag in ("burn_in", "samples", "thin", "chains"):
            parts += [f"--{flag.replace('_', '-')}", str(options[flag])]
    return shlex.join(parts)
