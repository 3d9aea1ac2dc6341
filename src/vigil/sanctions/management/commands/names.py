import csv
import io
import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from vigil.core.commands import VigilCommand
from vigil.core.errors import ValidationFailed
from vigil.core.files import read_csv_text
from vigil.names import OPERATING_THRESHOLD
from vigil.names.evaluation import parse_label, score_decisions
from vigil.names.kinds import KindComparison, compare_names, kind_of


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
        cmp.add_argument(
            "--kind",
            help="compare as person or org (default: each name's kind is guessed; "
            "an organisation on either side makes it an organisation comparison)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options.get("kind")
        if kind:
            try:
                kind = kind_of(kind)
            except ValueError as error:
                raise ValidationFailed(str(error)) from None
        pairs = _pairs(options)
        outcomes: list[tuple[bool, bool]] = []
        for a, b, label in pairs:
            m = compare_names(a, b, kind)
            decision = m.score >= OPERATING_THRESHOLD
            if label is not None:
                outcomes.append((label, decision))
            if options["json"]:
                self.stdout.write(
                    json.dumps(
                        {
                            "name1": a,
                            "name2": b,
                            "score": round(m.score, 4),
                            "match": decision,
                            "explanation": m.explanation,
                            "kind1": m.kind_a,
                            "kind2": m.kind_b,
                            "kind": m.kind,
                        },
                        ensure_ascii=False,
                    )
                )
            else:
                self.stdout.write(
                    f"{m.score:.2f} {'MATCH' if decision else 'no':<5} {a} ~ {b}\n"
                    f"      {m.explanation}\n"
                    f"      {_kinds_line(m)}"
                )
        if outcomes and not options["json"]:
            scores = score_decisions(outcomes)
            self.stdout.write(
                f"{len(outcomes)} labelled pairs at threshold {OPERATING_THRESHOLD}: "
                f"precision {scores.precision:.3f}, recall {scores.recall:.3f}, "
                f"F1 {scores.f1:.3f} (TP {scores.true_positives}, FP {scores.false_positives}, "
                f"FN {scores.false_negatives}, TN {scores.true_negatives})"
            )


def _kinds_line(m: KindComparison) -> str:
    """'taken as person / organisation, compared as organisation' (or forced by --kind)."""
    if m.forced:
        return f"compared as {m.kind} (--kind)"
    return f"taken as {m.kind_a} / {m.kind_b}, compared as {m.kind}"


def _pairs(options: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    if options["file"]:
        path: Path = options["file"]
        with io.StringIO(read_csv_text(path), newline="") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or not {"name1", "name2"} <= set(reader.fieldnames):
                raise ValidationFailed(
                    f"{path.name}: needs the columns name1,name2 (and optionally match)"
                )
            labelled = "match" in reader.fieldnames
            pairs: list[tuple[str, str, bool | None]] = []
            for line, row in enumerate(reader, start=2):
                label = None
                if labelled:
                    try:
                        label = parse_label(row["match"] or "")
                    except ValueError as error:
                        raise ValidationFailed(f"{path.name}, line {line}: {error}") from None
                pairs.append((row["name1"] or "", row["name2"] or "", label))
            return pairs
    if len(options["names"]) != 2:
        raise ValidationFailed("give two names, or --file PAIRS.csv")
    a, b = options["names"]
    return [(a, b, None)]
