"""`vigil evidence`: add a file, verify stored files, print a file's chain of custody."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.management.base import CommandParser

from vigil.core.errors import Forbidden, NotFound, ValidationFailed
from vigil.evidence.errors import IntegrityFailed
from vigil.evidence.handling import handling_log
from vigil.evidence.ingest import ingest
from vigil.evidence.verify import all_evidence, verify
from vigil.policy.access import allows, restrict
from vigil.policy.acting import ActingCommand
from vigil.records.models import Evidence, Source

if TYPE_CHECKING:
    from vigil.accounts.types import User


def _uuid(text: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise ValidationFailed(f"{text!r} is not a {what} id.") from None


def _evidence(user: User, text: str) -> Evidence:
    # A file the acting user may not view looks like a missing one.
    found = restrict(user, "view", Evidence.all_objects.filter(pk=_uuid(text, "evidence"))).first()
    if found is None:
        raise NotFound(f"There is no evidence {text}.")
    return found


class Command(ActingCommand):
    help = "Add evidence files, verify their SHA-256, print their chain of custody."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        add = actions.add_parser("add", help="store a file as evidence of a source")
        add.add_argument("file", type=Path, help="the file to store (encrypted)")
        add.add_argument("--source", required=True, help="id of the source the file belongs to")
        add.add_argument("--description", default="", help="what the file shows")
        check = actions.add_parser("verify", help="recompute the SHA-256 of stored files")
        which = check.add_mutually_exclusive_group(required=True)
        which.add_argument("id", nargs="?", help="one evidence id")
        which.add_argument("--all", action="store_true", help="every stored file")
        log = actions.add_parser("custody", help="print the chain of custody of a file")
        log.add_argument("id", help="the evidence id")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "add":
            self.add(options["file"], options["source"], options["description"])
        elif action == "verify":
            self.verify(options.get("id"), options["all"])
        elif action == "custody":
            self.handling_log(options["id"])

    def add(self, path: Path, source_id: str, description: str) -> None:
        """Ingest one file."""
        visible = restrict(self.user, "view", Source.objects.filter(pk=_uuid(source_id, "source")))
        source = visible.first()
        if source is None:
            raise NotFound(f"There is no source {source_id}.")
        if not allows(self.user, "change", source):
            raise Forbidden("The acting user may not add evidence to this source.")
        try:
            handle = path.open("rb")
        except OSError as exc:
            raise ValidationFailed(f"Cannot read {path}: {exc.strerror}.") from None
        with handle:
            evidence = ingest(source, handle, path.name, description=description)
        self.stdout.write(
            f"Stored evidence {evidence.pk}: {evidence.size} bytes, {evidence.content_type}, "
            f"sha256 {evidence.sha256}."
        )

    def verify(self, evidence_id: str | None, every: bool) -> None:
        """Check one file or all; exit 2 naming every file that fails."""
        if every:
            seen = set(
                restrict(self.user, "view", Evidence.all_objects.all()).values_list("pk", flat=True)
            )
            chosen: Any = (e for e in all_evidence() if e.pk in seen)
        else:
            chosen = [_evidence(self.user, evidence_id or "")]
        checked, failed = 0, []
        for result in verify(chosen):
            checked += 1
            self.stdout.write(result.line())
            if not result.ok:
                failed.append(result.evidence_id)
        if failed:
            raise IntegrityFailed(
                f"{len(failed)} of {checked} evidence file(s) failed verification: "
                + ", ".join(failed)
            )
        self.stdout.write(f"All {checked} evidence file(s) match their SHA-256.")

    def handling_log(self, evidence_id: str) -> None:
        """Print the handling log of one file (its chain of custody)."""
        evidence = _evidence(self.user, evidence_id)
        self.stdout.write(
            f"Evidence {evidence.pk} ({evidence.content_type}, {evidence.size} bytes, "
            f"sha256 {evidence.sha256})"
        )
        for event in handling_log(evidence):
            actor = event.actor_id or "-"
            self.stdout.write(
                f"{event.at:%Y-%m-%d %H:%M:%S} {event.action:<8} {event.context_kind:<6} "
                f"{actor} {event.sha256 or ''}".rstrip()
            )
