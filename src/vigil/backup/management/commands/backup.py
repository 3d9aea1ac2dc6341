from pathlib import Path
from typing import Any

from vigil.backup.archive import create_backup, verify_backup
from vigil.backup.audit_hook import audit_event
from vigil.core.commands import VigilCommand
from vigil.crypto.keysource import read_key_file


class Command(VigilCommand):
    help = "Create an age-encrypted backup, or verify one by a test restore."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = sub.add_parser("create", help="write an encrypted backup")
        create.add_argument("--to", type=Path, required=True, help="backup file to write")
        create.add_argument("--recipient", "--recipients", action="append", required=True)
        verify = sub.add_parser("verify", help="decrypt, check the manifest, test-restore")
        verify.add_argument("file", type=Path)
        verify.add_argument("--identity", action="append", type=Path, required=True)
        verify.add_argument(
            "--key-file", type=Path, help="the backup's master key, if not the current one"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            result = create_backup(options["to"], options["recipient"])
            audit_event(
                "backup",
                sha256=result.sha256,
                size=result.size,
                recipients=len(options["recipient"]),
                result="ok",
            )
            self.stdout.write(
                f"Backup written: {result.path} ({result.size} bytes, sha256 {result.sha256}); "
                f"{sum(result.manifest.row_counts.values())} rows in "
                f"{len(result.manifest.row_counts)} tables."
            )
            return
        key = read_key_file(options["key_file"]) if options["key_file"] else None
        manifest = verify_backup(options["file"], options["identity"], key)
        self.stdout.write(
            f"Backup verified: manifest, integrity check and row counts match "
            f"({sum(manifest.row_counts.values())} rows, made {manifest.created_at})."
        )
