import json
import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from vigil.core.errors import Forbidden, ImportFailed, NotFound
from vigil.policy.access import allows, restrict
from vigil.policy.acting import ActingCommand, require_reach
from vigil.records.lookup import resolve_person
from vigil.records.models import Act, Person
from vigil.responses import coding, forums, gap, upr
from vigil.responses.models import ViolationCoding
from vigil.responses.standards import SUMMARY_NOTICE, sync_standards


class Command(ActingCommand):
    help = "The international response: UPR import, the response gap, violation coding."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import-upr",
            help="import UPR recommendations and the state's responses (CSV)",
            called_from_command_line=True,
        )
        imp.add_argument("file", type=Path, help="the CSV file")
        imp.add_argument("--reference", help="the UN document of the review (e.g. A/HRC/15/16)")
        imp.add_argument("--json", action="store_true", help="print the summary as JSON")
        g = sub.add_parser(
            "gap",
            help="detained lawyers and defenders without response, unanswered communications, "
            "overdue follow-ups",
            called_from_command_line=True,
        )
        g.add_argument("--json", action="store_true", help="print as JSON")
        sil = sub.add_parser(
            "silent",
            help="governments with no recorded forum position on a topic or person",
            called_from_command_line=True,
        )
        sil.add_argument("--topic", help="the topic of the positions")
        sil.add_argument("--person", action="append", default=[], help="id or name; repeatable")
        sil.add_argument("--json", action="store_true", help="print as JSON")
        sug = sub.add_parser(
            "suggest", help="suggest violation codings for acts", called_from_command_line=True
        )
        sug.add_argument("--person", help="only this person's acts (id or name)")
        code = sub.add_parser(
            "code", help="accept or reject a suggested coding", called_from_command_line=True
        )
        code.add_argument("decision", choices=["accept", "reject"], help="the decision")
        code.add_argument("coding_id", help="the suggestion's id (vigil responses suggest)")
        code.add_argument("--note", default="", help="why (kept with the decision)")
        sub.add_parser(
            "standards",
            help="load the shipped standards (summaries)",
            called_from_command_line=True,
        )

    def _persons(self) -> Any:
        """The real persons the acting user may view: the only ones a name can resolve to."""
        return restrict(self.user, "view", Person.objects.real())

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "_" + options["action"].replace("-", "_"))(options)

    def _import_upr(self, options: dict[str, Any]) -> None:
        # Recommendations and responses are published UN documents: recorded as public.
        require_reach(self.user, "add", "public", "responses import-upr")
        try:
            report = upr.import_upr(options["file"], reference=options["reference"])
        except ImportFailed as exc:
            for line, reason in exc.problems[:50]:
                self.stderr.write(f"  line {line}: {reason}")
            raise
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
            return
        responses = ", ".join(f"{n} {k}" for k, n in sorted(report.by_response.items()))
        self.stdout.write(
            f"{report.path}: {report.imported} recommendations ({responses}). "
            f"Records created: {report.upsert.total('created')}, "
            f"updated: {report.upsert.total('updated')}, "
            f"unchanged: {report.upsert.total('unchanged')}."
        )

    def _gap(self, options: dict[str, Any]) -> None:
        result = gap.response_gap(self.user)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
            return
        data = result.as_dict()
        self.stdout.write(
            f"Detained lawyers and defenders lacking a response: {len(result.detained)}"
        )
        for row in data["detained_without_response"]:
            since = row["in_custody_since"] or "date unknown"
            self.stdout.write(
                f"  {row['person']} ({', '.join(row['professions'])}; in custody since {since}): "
                f"{'; '.join(row['missing'])}   [{row['id']}]"
            )
            if row["term_ended_without_recorded_release"]:
                self.stdout.write(
                    f"    the sentence should have ended on {row['term_ends']}, but no release "
                    "is recorded: check whether the person is still held"
                )
        self.stdout.write(f"Communications with no state response: {len(result.unanswered)}")
        for item in data["communications_without_state_response"]:
            ref = f" {item['reference']}" if item["reference"] else ""
            self.stdout.write(f"  {item['type']}{ref}: {item['title'] or '(untitled)'}")
        self.stdout.write(f"Overdue follow-ups: {len(result.overdue)}")
        for o in data["overdue_follow_ups"]:
            self.stdout.write(f"  due {o['due']}: {o['action']} — {o['title'] or o['reference']}")

    def _silent(self, options: dict[str, Any]) -> None:
        persons = [resolve_person(p, self._persons()) for p in options["person"]]
        found = forums.silent_states(self.user, options["topic"], persons)
        if options["json"]:
            self.stdout.write(json.dumps([s.as_dict() for s in found], ensure_ascii=False))
            return
        self.stdout.write(f"{len(found)} governments have no recorded position:")
        for s in found:
            self.stdout.write(
                f"  {s.state.display_name} (positions on other subjects: {s.other_positions})"
            )

    def _suggest(self, options: dict[str, Any]) -> None:
        require_reach(self.user, "add", "internal", "responses suggest")
        acts = restrict(self.user, "change", Act.objects.real())
        if options["person"]:
            acts = acts.filter(victim_person=resolve_person(options["person"], self._persons()))
        # Only the acts the acting user may change are coded (suggestions are their writes).
        candidates = acts.filter(
            victim_person__isnull=False,
            victim_person__is_synthetic=False,
            victim_person__deleted_at__isnull=True,
        ).select_related("act_type", "victim_person")
        report = coding.suggest(acts=list(candidates))
        self.stdout.write(
            f"{len(report.created)} suggestions created; {report.already_coded} already coded."
        )
        for c in report.created:
            reader = " [reader's comment]" if c.rests_on_reader_comment else ""
            self.stdout.write(f"  {c.pk}  {c.standard.citation}{reader} — {c.act}")
        if report.created:
            self.stdout.write(f"Standards are a {SUMMARY_NOTICE}.")

    def _code(self, options: dict[str, Any]) -> None:
        decision = {"accept": "accepted", "reject": "rejected"}[options["decision"]]
        found = restrict(self.user, "view", ViolationCoding.objects.filter(pk=_id(options)))
        if not found.exists():
            raise NotFound(f"No coding {options['coding_id']}.")
        if not allows(self.user, "change", found.get()):
            raise Forbidden("The acting user may not decide on this coding.")
        c = coding.decide(options["coding_id"], decision, options["note"])
        self.stdout.write(f"{c.standard.citation} for {c.act}: {c.status}.")

    def _standards(self, options: dict[str, Any]) -> None:
        require_reach(self.user, "add", "internal", "responses standards")
        self.stdout.write(f"{sync_standards()} standards loaded ({SUMMARY_NOTICE}).")


def _id(options: dict[str, Any]) -> uuid.UUID:
    try:
        return uuid.UUID(options["coding_id"])
    except ValueError:
        raise NotFound(f"No coding {options['coding_id']}.") from None
