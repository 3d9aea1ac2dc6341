"""`vigil warning`: the early-warning backtest, and the planted synthetic record it is tested on.

A data command: it acts as a user (``--as``) and reads only what that user may view. Risk
scores are confidential; the backtest prints pooled figures only, never a person's score.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import CommandParser
from tqdm import tqdm

from vigil.accounts.acting import ActingCommand, require_scope
from vigil.accounts.auditing import audit
from vigil.core.errors import ValidationFailed
from vigil.records.lookup import resolve_person
from vigil.warning.backtest import BacktestConfig, run_backtest
from vigil.warning.explain import explain
from vigil.warning.loading import Include, load_record, name_links, visible_persons
from vigil.warning.outcomes import parse_outcome
from vigil.warning.planted import PlantedSpec
from vigil.warning.planted_writer import write_planted


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(f"{text!r} is not a date (YYYY-MM-DD).") from None


class Command(ActingCommand):
    help = "Early warning of arrest: rolling-origin backtest of the risk model (confidential)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        bt = actions.add_parser("backtest", help="rolling-origin backtest with baselines")
        bt.add_argument("--horizon", type=int, default=90, help="days ahead (30 or 90)")
        bt.add_argument("--from", dest="start", type=_date, help="first cut-off (YYYY-MM-DD)")
        bt.add_argument("--to", dest="end", type=_date, help="last cut-off (YYYY-MM-DD)")
        bt.add_argument("--outcome", default="criminal", help="criminal (arrest) or any detention")
        bt.add_argument("--seed", type=int, default=0, help="bootstrap and tie-break seed")
        bt.add_argument("--bootstrap", type=int, default=200, help="bootstrap replicates")
        bt.add_argument(
            "--records",
            choices=[i.value for i in Include],
            default=Include.REAL.value,
            help="real records (default), the synthetic ones, or all",
        )
        bt.add_argument("--scheme", help="only persons with an id of this source (e.g. zubr)")
        bt.add_argument(
            "--links",
            choices=["names", "confirmed", "none"],
            default="names",
            help="names: count ZUBR persons the names engine links to another source's as one; "
            "confirmed: only persons a human merged (a merge already joins their acts)",
        )
        bt.add_argument(
            "--recalibrate-months",
            type=int,
            default=0,
            help="Platt-calibrate on the latest N months of closed cut-offs (default 0: "
            "cross-validated on all training rows)",
        )
        bt.add_argument("--json", action="store_true", help="print as JSON")
        ex = actions.add_parser("explain", help="one person's risk, its reasons and sources")
        ex.add_argument("person", help="the person's id")
        ex.add_argument("--at", type=_date, default=None, help="date of the estimate (today)")
        ex.add_argument("--horizon", type=int, default=90)
        ex.add_argument("--outcome", default="criminal")
        ex.add_argument("--records", choices=[i.value for i in Include], default="all")
        ex.add_argument("--links", choices=["names", "confirmed", "none"], default="names")
        ex.add_argument("--json", action="store_true", help="print as JSON")
        plant = actions.add_parser("plant", help="write the planted synthetic test record")
        plant.add_argument("--persons", type=int, default=300)
        plant.add_argument("--seed", type=int, default=0)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "plant":
            require_scope(self.user, "add", "internal", "warning plant")
            if options["persons"] < 8:
                raise ValidationFailed("--persons must be at least 8.")
            counts = write_planted(PlantedSpec(persons=options["persons"], seed=options["seed"]))
            self.stdout.write(
                "Wrote the planted synthetic record: "
                + ", ".join(f"{n} {label}" for label, n in sorted(counts.items()))
            )
            return
        if options["action"] == "explain":
            self.explain(options)
            return
        self.backtest(options)

    def explain(self, options: dict[str, Any]) -> None:
        include = Include(options["records"])
        person = resolve_person(
            options["person"], visible_persons(self.user, include)
        )
        record = load_record(self.user, include)
        pid = str(person.pk)
        if options["links"] == "names" and include is not Include.SYNTHETIC:
            aliases = name_links(self.user)
            record.merge_persons(aliases)
            pid = aliases.get(pid, pid)
        result = explain(
            record,
            pid,
            options["at"] or dt.date.today(),
            options["horizon"],
            parse_outcome(options["outcome"]),
        )
        audit(
            "risk_model",
            actor=self.user,
            obj=person,
            action="explain",
            count=1,
            route="cli:warning explain",
        )
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        p = result["probability"]
        self.stdout.write(
            f"Risk of a {result['outcome']} outcome within {result['horizon_days']} days from "
            f"{result['at']}: " + ("no signal" if p is None else f"{p:.4f}")
            + " (confidential)"
        )
        for reason in result["reasons"]:
            self.stdout.write(
                f"  {reason['signal']:<28} value {reason['value']:<8} weight "
                f"{reason['weight']:<8} from {', '.join(reason['records']) or '—'}"
            )
        if result.get("note"):
            self.stdout.write(result["note"])

    def backtest(self, options: dict[str, Any]) -> None:
        include = Include(options["records"])
        record = load_record(self.user, include, options["scheme"])
        if options["links"] == "names" and include is not Include.SYNTHETIC:
            record.merge_persons(name_links(self.user))
        config = BacktestConfig(
            horizon_days=options["horizon"],
            start=options["start"],
            end=options["end"],
            outcome=parse_outcome(options["outcome"]),
            seed=options["seed"],
            bootstrap=options["bootstrap"],
            recalibrate_months=max(0, options["recalibrate_months"]),
        )

        def progress(cutoffs: Any) -> Any:
            return tqdm(cutoffs, unit="cut-off", desc="backtest", disable=None, leave=False)

        result = run_backtest(record, config, progress)
        # Who ran the confidential risk model, on how many person-periods: never the scores.
        audit(
            "risk_model",
            actor=self.user,
            action="backtest",
            count=result["person_periods"],
            route="cli:warning backtest",
        )
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        self.stdout.write(render(result))


def _fmt(value: Any) -> str:
    return "—" if value is None else str(value)


def render(result: dict[str, Any]) -> str:
    """The backtest as text: the figures of the model and each baseline, then the notes."""
    lines = [
        f"Early-warning backtest: outcome {result['outcome']}, horizon {result['horizon_days']} "
        f"days, cut-offs {result['from']} to {result['to']} ({result['cutoffs']})",
        f"Persons at risk {result['population']}, person-periods {result['person_periods']}, "
        f"events {result['events']} on {result['event_days']} days, "
        f"links used {result['links_used']}",
        "",
        f"{'':<22}{'AUC':>7}  {'95% CI':<16}{'rec@10':>7}{'rec@50':>7}"
        f"{'prec@thr':>9}{'thr':>9}{'Brier':>8}{'lead d':>7}",
    ]
    scorers = {"model": result["model"], **result["baselines"]}
    for name, f in scorers.items():
        lo, hi = f["auc_ci"]
        ci = f"[{_fmt(lo)}, {_fmt(hi)}]"
        lines.append(
            f"{name:<22}{_fmt(f['auc']):>7}  {ci:<16}{_fmt(f['recall_at_k']['10']):>7}"
            f"{_fmt(f['recall_at_k']['50']):>7}{_fmt(f['precision_at_threshold']):>9}"
            f"{_fmt(f['threshold']):>9}{_fmt(f['brier']):>8}"
            f"{_fmt(f['lead_time_days_median']):>7}"
        )
    lines.append("")
    lines.append("Calibration of the model (deciles of predicted probability):")
    for row in result["model"]["calibration"]:
        lines.append(
            f"  predicted {row['predicted']:.4f}  observed {row['observed']:.4f}  "
            f"rows {row['rows']}  events {row['events']}"
        )
    if result.get("note"):
        lines += ["", result["note"]]
    return "\n".join(lines)
