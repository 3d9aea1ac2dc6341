from pathlib import Path
from typing import Any

from vigil.backup.archive import create_backup, verify_backup
from vigil.backup.audit_hook import audit_event
from vigil.backup.restore import restore_backup
from vigil.core.commands import VigilCommand
from vigil.crypto.keysource import read_key_file


def _backup_to_open(parser: Any) -> None:
    """The backup file and the age identities that decrypt it (verify and restore alike)."""
    parser.add_argument("file", type=Path, help="the backup file")
    parser.add_argument(
        "--identity",
        action="append",
        type=Path,
        required=True,
        help="an age identity file that decrypts it; repeatable",
    )


class Command(VigilCommand):
    help = "Create an age-encrypted backup, verify one by a test restore, or restore one."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = sub.add_parser("create", help="write an encrypted backup")
        create.add_argument("--to", type=Path, required=True, help="backup file to write")
        create.add_argument(
            "--recipient",
            "--recipients",
            action="append",
            required=True,
            help="an age public key (age1…) the backup is encrypted to; repeatable",
        )
        verify = sub.add_parser("verify", help="decrypt, check the manifest, test-restore")
        _backup_to_open(verify)
        verify.add_argument(
            "--key-file", type=Path, help="the backup's master key, if not the current one"
        )
        restore = sub.add_parser(
            "restore",
            help="restore into an empty VIGIL_DATA_DIR (and empty database), then check it",
        )
        _backup_to_open(restore)

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
                f"{len(result.manifest.row_counts)} tables, {len(result.manifest.files)} files"
                + (", the database read from the replica." if result.source == "replica" else ".")
            )
            return
        if options["action"] == "restore":
            report = restore_backup(options["file"], options["identity"])
            self.stdout.write(report.summary())
            return
        key = read_key_file(options["key_file"]) if options["key_file"] else None
        manifest = verify_backup(options["file"], options["identity"], key)
        self.stdout.write(
            f"Backup verified: manifest ({len(manifest.files)} files, every SHA-256), integrity "
            f"check and row counts match ({sum(manifest.row_counts.values())} rows, "
            f"{sum(1 for f in manifest.files if f.name.startswith('evidence/'))} evidence "
            f"files, made {manifest.created_at})."
        )
