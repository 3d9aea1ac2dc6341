"""`vigil lists`: stored lists of persons, linking them, reviewing the links, estimating."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vigil.core.errors import ValidationFailed
from vigil.core.files import read_csv_text
from vigil.counting.estimate_options import (
    add_link_draws_option,
    add_method_options,
    add_stored_options,
)
from vigil.counting.list_import import FIELDS, parse_mapping
from vigil.counting.models import Decision
from vigil.counting.stored_lists import (
    RECORD_CATEGORIES,
    add_list,
    find_list,
    parse_date,
    visible_lists,
)
from vigil.policy.acting import ActingCommand
from vigil.reports.record_list import list_from_record

# Linking and estimating compute with numpy (and scipy): the actions import them, so that
# `vigil --help`, which loads every command module, does not.


class Command(ActingCommand):
    help = "Stored lists of persons: add (CSV + column mapping), link, review links, estimate."

    def add_arguments(self, parser: Any) -> None:
        from vigil.counting.link_runs import DECISIONS

        sub = parser.add_subparsers(dest="action")
        sub.add_parser("list", help="the stored lists you may view (the default)")
        add = sub.add_parser("add", help="add a list from a CSV file with a column mapping")
        add.add_argument("name", help="the list's name, e.g. 'Viasna export'")
        add.add_argument("file", type=Path, help="CSV file (comma, semicolon or tab)")
        add.add_argument("--date", required=True, help="the list's date, YYYY-MM-DD")
        add.add_argument(
            "--map",
            required=True,
            help=f"FIELD=COLUMN,… for the fields {', '.join(FIELDS)} (name is required; "
            "without id a row's key is its line number)",
        )
        add.add_argument("--description", default="", help="what the list is, who made it")
        add.add_argument(
            "--confidentiality",
            default="restricted",
            choices=("public", "internal", "restricted", "secret"),
            help="the list's confidentiality (default restricted)",
        )
        own = sub.add_parser(
            "from-record", help="the organisation's own record as a list (rows encrypted)"
        )
        own.add_argument("name", help="the stored list's name")
        own.add_argument("--date", required=True, help="the list's date, YYYY-MM-DD")
        own.add_argument(
            "--category",
            default="all",
            choices=RECORD_CATEGORIES,
            help="which persons of the record (default all)",
        )
        show = sub.add_parser("show", help="one list: its date, mapping and row count")
        show.add_argument("list", help="the list's id or name")
        linking = sub.add_parser("link", help="link two or more stored lists; keep the pairs")
        linking.add_argument("lists", nargs="+", help="ids or names of the lists")
        linking.add_argument("--seed", type=int, default=0, help="seed of the recall sample")
        review = sub.add_parser("review", help="a link run's pairs for a person to decide")
        review.add_argument("run", help="the link run's id")
        review.add_argument("--all", action="store_true", help="every pair, not only pending")
        review.add_argument("--json", action="store_true", help="one JSON object a line")
        deciding = sub.add_parser("decide", help="decide a pair: same, different or undo")
        deciding.add_argument("pair", help="the pair's number (from `vigil lists review`)")
        deciding.add_argument(
            "decision", choices=tuple(DECISIONS), help="same person, different persons, or undo"
        )
        est = sub.add_parser("estimate", help="estimate from a link run's decided links")
        est.add_argument("run", help="the link run's id")
        add_method_options(est)
        add_link_draws_option(est)
        est.add_argument("--json", action="store_true", help="print as JSON")
        add_stored_options(est)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options.get("action") or "list"
        getattr(self, "_" + action.replace("-", "_"))(options)

    def _list(self, options: dict[str, Any]) -> None:
        for plist in visible_lists(self.user).order_by("name", "-as_of"):
            self.stdout.write(
                f"{plist.pk}  {plist.as_of:%Y-%m-%d}  {plist.row_count:>7,} rows  "
                f"{plist.get_kind_display():<30} {plist.confidentiality:<10} {plist.name}"
            )

    def _add(self, options: dict[str, Any]) -> None:
        text = read_csv_text(options["file"])
        added = add_list(
            self.user,
            options["name"],
            parse_date(options["date"]),
            text,
            parse_mapping(options["map"]),
            description=options["description"],
            confidentiality=options["confidentiality"],
        )
        verb = "Added" if added.created else "Unchanged (the same rows are stored):"
        self.stdout.write(f"{verb} list {added.list.pk} {added.list} — {added.list.row_count} rows")

    def _from_record(self, options: dict[str, Any]) -> None:
        added = list_from_record(
            self.user, options["name"], parse_date(options["date"]), options["category"]
        )
        verb = "Added" if added.created else "Unchanged (the same rows are stored):"
        self.stdout.write(f"{verb} list {added.list.pk} {added.list} — {added.list.row_count} rows")

    def _show(self, options: dict[str, Any]) -> None:
        plist = find_list(self.user, options["list"])
        self.stdout.write(
            f"{plist.name}\ndate: {plist.as_of:%Y-%m-%d}\nkind: {plist.get_kind_display()}\n"
            f"rows: {plist.row_count}\nconfidentiality: {plist.confidentiality}\n"
            f"mapping: {json.dumps(plist.mapping, ensure_ascii=False)}\nid: {plist.pk}"
        )

    def _link(self, options: dict[str, Any]) -> None:
        from vigil.counting.link_runs import run_link

        lists = [find_list(self.user, ref) for ref in options["lists"]]
        run = run_link(self.user, lists, seed=options["seed"])
        self.stdout.write(f"Link run {run.pk}:")
        names = {str(p.pk): p.name for p in lists}
        for part in run.summary["pairs_of_lists"]:
            a, b = (names[i] for i in part["lists"])
            self.stdout.write(
                f"  {a} ~ {b}: compared {part['compared']:,} of {part['possible']:,} pairs; "
                f"{part['matches']} matches, {part['review']} for review; blocking recall "
                f"{part['blocking_recall']:.1%}"
            )
        self.stdout.write(
            f"`vigil lists review {run.pk}` lists the pairs to decide; "
            f"`vigil lists estimate {run.pk}` estimates."
        )

    def _review(self, options: dict[str, Any]) -> None:
        from vigil.counting.link_runs import find_run, in_review_band, run_lists

        run = find_run(self.user, options["run"])
        names = {p.pk: p.name for p in run_lists(run)}
        pairs = run.pairs.select_related("left", "right")
        for pair in pairs:
            if not options["all"] and not (
                in_review_band(pair) and pair.decision == Decision.PENDING
            ):
                continue
            left, right = pair.left.fields(), pair.right.fields()
            if options["json"]:
                self.stdout.write(
                    json.dumps(
                        {
                            "pair": pair.pk,
                            "probability": pair.probability,
                            "match": pair.match,
                            "decision": pair.decision,
                            "left": {
                                "list": names[pair.left.list_id],
                                "key": pair.left.key,
                                **left,
                            },
                            "right": {
                                "list": names[pair.right.list_id],
                                "key": pair.right.key,
                                **right,
                            },
                        },
                        ensure_ascii=False,
                    )
                )
            else:
                self.stdout.write(
                    f"#{pair.pk} {pair.probability:.3f} {pair.decision:<9} "
                    f"{left.get('name', '')} {left.get('birth_date', '')} ~ "
                    f"{right.get('name', '')} {right.get('birth_date', '')}"
                )

    def _decide(self, options: dict[str, Any]) -> None:
        from vigil.counting.link_runs import decide, find_pair

        pair = decide(self.user, find_pair(self.user, options["pair"]), options["decision"])
        self.stdout.write(f"Pair #{pair.pk}: {pair.get_decision_display()}.")

    def _estimate(self, options: dict[str, Any]) -> None:
        from vigil.counting.link_runs import estimate_run, find_run

        if options["link_draws"] < 1:
            raise ValidationFailed("--link-draws must be at least 1")
        run = find_run(self.user, options["run"])
        result, row = estimate_run(
            self.user,
            run,
            method=options["method"],
            seed=options["seed"],
            draws=options["link_draws"],
            save=options["save"],
            category=options["category"],
            period=options["period"],
        )
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            self.stdout.write(result.as_text())
        if row is not None:
            self.stderr.write(
                f"Stored as {row.pk}; `vigil estimate --recompute {row.pk}` recomputes it."
            )
