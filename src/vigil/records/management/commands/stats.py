import json
from typing import Any

from vigil.policy.acting import ActingCommand
from vigil.records.stats import record_stats


class Command(ActingCommand):
    reads_from_replica = True
    help = "Counts of the record the acting user may see: persons, acts, perpetrators, custody."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="print as JSON")
        parser.add_argument("--real", action="store_true", help="leave out synthetic demo records")

    def handle(self, *args: Any, **options: Any) -> None:
        stats = record_stats(
            include_synthetic=not options["real"],
            user=self.user,
        )
        if options["json"]:
            self.stdout.write(json.dumps(stats, ensure_ascii=False, indent=2, sort_keys=True))
            return
        rows = [
            ("Persons", stats["persons"]),
            ("  of them synthetic (demo)", stats["persons_synthetic"]),
            ("  of them name withheld by the source", stats["persons_name_withheld"]),
            ("Organisations", stats["organisations"]),
            ("Events", stats["events"]),
            ("Acts", stats["acts"]),
            ("Legal provisions", stats["legal_provisions"]),
            ("Participants, role unconfirmed", stats["participants_unconfirmed"]),
            ("Sources", stats["sources"]),
            ("Statistics (sourced aggregates)", stats["statistics"]),
            ("In custody (derived from acts)", stats["custody"]["in_custody"]),
            (
                "Term ended, release not recorded",
                stats["custody"]["term_ended_release_not_recorded"],
            ),
            ("Restricted liberty", stats["custody"]["restricted_liberty"]),
        ]
        for label, value in rows:
            self.stdout.write(f"{label:<40} {value:>8}")
        self.stdout.write("Acts by type:")
        for key, n in sorted(stats["acts_by_type"].items(), key=lambda kv: -kv[1]):
            self.stdout.write(f"  {key:<38} {n:>8}")
        self.stdout.write("Perpetrators by role:")
        for key, n in sorted(stats["perpetrators_by_role"].items()):
            self.stdout.write(f"  {key:<38} {n:>8}")
