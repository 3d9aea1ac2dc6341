"""`vigil warning`: the early-warning backtest, and the planted synthetic record it is tested on.

A data command: it acts as a user (``--as``) and reads only what that user may view. Risk
scores are confidential; the backtest prints pooled figures only, never a person's score.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from django.core.management.base import CommandParser
from tqdm import tqdm

from vigil.accounts.auditing import audit
from vigil.core.errors import ValidationFailed
from vigil.policy.acting import ActingCommand, require_reach
from vigil.records.lookup import resolve_person
from vigil.warning import links as link_store
from vigil.warning import register
from vigil.warning.models import LinkStatus, RegisterStatus

if TYPE_CHECKING:
    from vigil.warning.loading import Include

# The model, the backtest and the record loader work on pandas, numpy, scipy and scikit-learn
# (about 1.5 s to import): the actions import them, so that `vigil --help`, which loads every
# command module, does not.


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(f"{text!r} is not a date (YYYY-MM-DD).") from None


def _model_options(parser: CommandParser, *, records: Include) -> None:
    """The options that choose what the risk model is fitted on, the same for every action."""
    parser.add_argument("--horizon", type=int, default=90, help="days ahead (30 or 90)")
    parser.add_argument(
        "--outcome", default="criminal", help="criminal (an arrest, default) or any (any detention)"
    )
    parser.add_argument(
        "--records",
        choices=[i.value for i in type(records)],
        default=records.value,
        help=f"real records, the synthetic ones, or all (default {records.value})",
    )
    parser.add_argument(
        "--links",
        choices=["names", "confirmed", "none"],
        default="names",
        help="names (default): count ZUBR persons the names engine links to another source's "
        "as one; confirmed: only the links a human confirmed (vigil warning links confirm ID); "
        "none: no links",
    )


class Command(ActingCommand):
    help = "Early warning of arrest: rolling-origin backtest of the risk model (confidential)."

    def add_arguments(self, parser: CommandParser) -> None:
        from vigil.warning.loading import Include

        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        bt = actions.add_parser("backtest", help="rolling-origin backtest with baselines")
        _model_options(bt, records=Include.REAL)
        bt.add_argument("--from", dest="start", type=_date, help="first cut-off (YYYY-MM-DD)")
        bt.add_argument("--to", dest="end", type=_date, help="last cut-off (YYYY-MM-DD)")
        bt.add_argument("--seed", type=int, default=0, help="bootstrap and tie-break seed")
        bt.add_argument("--bootstrap", type=int, default=200, help="bootstrap replicates")
        bt.add_argument("--scheme", help="only persons with an id of this source (e.g. zubr)")
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
        _model_options(ex, records=Include.ALL)
        ex.add_argument("--json", action="store_true", help="print as JSON")
        plant = actions.add_parser("plant", help="write the planted synthetic test record")
        plant.add_argument(
            "--persons", type=int, default=300, help="synthetic persons to write (default 300)"
        )
        plant.add_argument("--seed", type=int, default=0, help="random seed of the record")
        sc = actions.add_parser(
            "score", help="score the persons at risk today and store the scores (confidential)"
        )
        sc.add_argument("--at", type=_date, default=None, help="date of the scores (today)")
        _model_options(sc, records=Include.REAL)
        sc.add_argument("--no-backtest", action="store_true", help="store the fit without one")
        sc.add_argument(
            "--bootstrap", type=int, default=200, help="bootstrap replicates of the backtest"
        )
        reg = actions.add_parser("register", help="the watched / at risk register")
        reg_actions = reg.add_subparsers(dest="register_action", required=True, metavar="ACTION")
        reg_add = reg_actions.add_parser("add", help="put a person on the register")
        reg_add.add_argument("person", help="the person's id or name")
        reg_add.add_argument("--reason", default="", help="why the person is watched")
        reg_status = reg_actions.add_parser("status", help="mark watched/relocated/safe/arrested")
        reg_status.add_argument("person", help="the person's id or name")
        reg_status.add_argument(
            "status", choices=RegisterStatus.values, help="the person's status from now on"
        )
        reg_list = reg_actions.add_parser("list", help="the register")
        reg_list.add_argument(
            "--status", choices=RegisterStatus.values, help="only persons with this status"
        )
        ln = actions.add_parser("links", help="cross-source links: offer, list, confirm, reject")
        ln_actions = ln.add_subparsers(dest="links_action", required=True, metavar="ACTION")
        ln_actions.add_parser("offer", help="store the names engine's current offers")
        ln_list = ln_actions.add_parser("list", help="stored links")
        ln_list.add_argument(
            "--status", choices=LinkStatus.values, default=None, help="only links in this state"
        )
        for verb in ("confirm", "reject"):
            one = ln_actions.add_parser(verb, help=f"{verb} one offered link by its ID")
            one.add_argument("id", help="the link's ID (vigil warning links list)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "plant":
            from vigil.warning.planted import PlantedSpec
            from vigil.warning.planted_writer import write_planted

            require_reach(self.user, "add", "internal", "warning plant")
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
        if options["action"] == "score":
            self.score(options)
            return
        if options["action"] == "register":
            self.register(options)
            return
        if options["action"] == "links":
            self.links(options)
            return
        self.backtest(options)

    def score(self, options: dict[str, Any]) -> None:
        from vigil.warning.loading import Include
        from vigil.warning.outcomes import parse_outcome
        from vigil.warning.scoring import run_scoring

        def progress(cutoffs: Any) -> Any:
            return tqdm(cutoffs, unit="cut-off", desc="backtest", disable=None, leave=False)

        run = run_scoring(
            self.user,
            at=options["at"],
            horizon_days=options["horizon"],
            outcome=parse_outcome(options["outcome"]),
            links=options["links"],
            include=Include(options["records"]),
            backtest=not options["no_backtest"],
            bootstrap=options["bootstrap"],
            progress=progress,
        )
        fit = run.fit
        method = (
            "the fitted model"
            if fit.method == "model"
            else "the points baseline (too few events to fit the model)"
        )
        self.stdout.write(
            f"Scored {fit.population} persons as of {fit.as_of} with {method}: "
            f"{fit.training_events} events in {fit.training_rows} person-periods; alert "
            f"threshold {fit.threshold:.4f}; {len(run.crossed)} crossed it, "
            f"{run.notified} notifications. Stored as fit {fit.pk} (confidential)."
        )
        if fit.note:
            self.stdout.write(fit.note)
        if fit.backtest.get("error"):
            self.stdout.write(f"Backtest: {fit.backtest['error']}")

    def register(self, options: dict[str, Any]) -> None:
        from vigil.warning.loading import Include, visible_persons

        action = options["register_action"]
        if action == "list":
            for e in register.entries(self.user, options["status"]):
                self.stdout.write(
                    f"{e.person_id}  {e.status:<10} since {e.status_since}  added {e.added_on}"
                    f"  {e.person}"
                )
            return
        person = resolve_person(options["person"], visible_persons(self.user, Include.ALL))
        if action == "add":
            _entry, created = register.add(self.user, person, options["reason"])
            self.stdout.write(
                f"{person} is on the register (watched); you watch them."
                if created
                else f"{person} was already on the register."
            )
            return
        entry = register.set_status(self.user, person, options["status"])
        self.stdout.write(f"{person}: {entry.status} since {entry.status_since}.")

    def links(self, options: dict[str, Any]) -> None:
        action = options["links_action"]
        if action == "offer":
            counts = link_store.refresh_offers(self.user)
            self.stdout.write(
                f"{counts['offered']} links offered by the names engine, {counts['new']} new "
                "stored; earlier decisions kept."
            )
            return
        if action == "list":
            for link in link_store.links_for(self.user, options["status"]):
                self.stdout.write(
                    f"{link.pk:>6}  {link.status:<9} {link.score:.3f}  {link.zubr_person} ~ "
                    f"{link.other_person}"
                )
            return
        decision = LinkStatus.CONFIRMED if action == "confirm" else LinkStatus.REJECTED
        link = link_store.decide_link(self.user, options["id"], decision)
        self.stdout.write(f"Link {link.pk} {link.status}.")

    def explain(self, options: dict[str, Any]) -> None:
        from vigil.warning.explain import explain
        from vigil.warning.loading import Include, load_record, visible_persons
        from vigil.warning.outcomes import parse_outcome
        from vigil.warning.scoring import aliases_for

        include = Include(options["records"])
        person = resolve_person(options["person"], visible_persons(self.user, include))
        record = load_record(self.user, include)
        pid = str(person.pk)
        aliases = aliases_for(self.user, options["links"], include)
        record.merge_persons(aliases, options["links"])
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
            f"{result['at']}: " + ("no signal" if p is None else f"{p:.4f}") + " (confidential)"
        )
        for reason in result["reasons"]:
            self.stdout.write(
                f"  {reason['signal']:<28} value {reason['value']:<8} weight "
                f"{reason['weight']:<8} from {', '.join(reason['records']) or '—'}"
            )
        if result.get("note"):
            self.stdout.write(result["note"])

    def backtest(self, options: dict[str, Any]) -> None:
        from vigil.warning.backtest import BacktestConfig, run_backtest
        from vigil.warning.loading import Include, load_record
        from vigil.warning.outcomes import parse_outcome
        from vigil.warning.scoring import aliases_for

        include = Include(options["records"])
        record = load_record(self.user, include, options["scheme"])
        record.merge_persons(aliases_for(self.user, options["links"], include), options["links"])
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
