"""`vigil audit`: checkpoint, export checkpoints, verify, show the public key or recent entries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from vigil.audit.anchors import current_anchor, write_anchor
from vigil.audit.checkpoints import (
    checkpoint_if_behind,
    create_checkpoint,
    export_checkpoints,
)
from vigil.audit.models import AuditEntry
from vigil.audit.signing import public_key_hex, signing_key
from vigil.audit.verify import verify_log
from vigil.core.commands import VigilCommand


class Command(VigilCommand):
    help = "Verify, checkpoint and export the tamper-evident audit log."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("checkpoint", help="sign and store the current tree head")
        export = actions.add_parser(
            "export-checkpoints",
            help="sign the head if it moved, then write every checkpoint as JSON lines for "
            "off-host storage",
        )
        export.add_argument("file", type=Path, help="the JSON lines file to write")
        verify = actions.add_parser(
            "verify", help="recompute the chain and the tree and check every checkpoint"
        )
        verify.add_argument(
            "--checkpoints", type=Path, help="checkpoints exported earlier (kept off-host)"
        )
        verify.add_argument(
            "--anchor",
            type=Path,
            action="append",
            default=[],
            metavar="FILE",
            help="an anchor file or backup manifest kept off-host (repeatable)",
        )
        anchor = actions.add_parser(
            "anchor", help="sign the head (size and last hash) and print it or write it to a file"
        )
        anchor.add_argument("-o", "--output", type=Path, help="write the anchor to this file")
        actions.add_parser("public-key", help="print the checkpoint signing public key (hex)")
        show = actions.add_parser("show", help="list the latest entries")
        show.add_argument("--last", type=int, default=20, help="how many entries (default 20)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "checkpoint":
            cp = create_checkpoint()
            self.stdout.write(f"Checkpoint at {cp.size} entries, root {cp.root_hash}.")
        elif action == "export-checkpoints":
            # Sign the head first, so the copy taken off-host anchors the log as it is now.
            checkpoint_if_behind()
            count = export_checkpoints(options["file"])
            self.stdout.write(f"Wrote {count} checkpoint(s) to {options['file']}.")
        elif action == "verify":
            report = verify_log(options.get("checkpoints"), options.get("anchor") or ())
            self.stdout.write(report.summary())
        elif action == "anchor":
            if options.get("output"):
                data = write_anchor(options["output"])
                self.stdout.write(
                    f"Anchor of {data['size']} entries written to {options['output']}."
                )
            else:
                self.stdout.write(json.dumps(current_anchor(), sort_keys=True))
        elif action == "public-key":
            self.stdout.write(public_key_hex(signing_key()))
        elif action == "show":
            entries = AuditEntry.objects.order_by("-seq")[: max(options["last"], 0)]
            for e in reversed(list(entries)):
                target = f"{e.object_type}:{e.object_id}" if e.object_type else "-"
                self.stdout.write(
                    f"{e.seq:>8} {e.at:%Y-%m-%d %H:%M:%S} {e.event:<16} "
                    f"{e.actor_id or '-':<36} {target} {e.meta or ''}"
                )
