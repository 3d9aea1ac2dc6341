import json
from typing import Any

from vigil.policy.acting import ActingCommand
from vigil.records.checks import by_kind, check_record


class Command(ActingCommand):
    reads_from_replica = True
    help = (
        "What in the record needs a human, with links (admins, coordinators).\n"
        "Two primary names, two arrests on one date, a source about someone else, "
        "unscreened perpetrators, terms ended without a release, likely duplicates, "
        "values needing review (docs/figures.md)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--json",
            action="store_true",
            help="one JSON object per line: kind, record, detail, url",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        findings = check_record(self.user, route="cli:check-record")
        if options["json"]:
            for finding in findings:
                self.stdout.write(json.dumps(finding.as_dict(), ensure_ascii=False))
            return
        for _kind, label, group in by_kind(findings):
            self.stdout.write(f"{label}: {len(group)}")
            for finding in group:
                self.stdout.write(f"  {finding.detail}")
                self.stdout.write(f"    {finding.url}")
        self.stdout.write(f"{len(findings)} findings in all.")
