from pathlib import Path
from typing import Any

from django.conf import settings

from vigil.backup.audit_hook import audit_event
from vigil.backup.key_backup import backup_master_key, recover_master_key
from vigil.backup.keyring import master_key
from vigil.backup.rekey import rekey_from_source
from vigil.backup.rotation import rotate_org_key
from vigil.core.commands import VigilCommand
from vigil.crypto.envelope import fingerprint
from vigil.crypto.errors import KeySourceError
from vigil.crypto.keysource import write_key_file
from vigil.crypto.shares import parse_threshold


class Command(VigilCommand):
    help = "Rotate, back up and recover the encryption keys."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        rotate = sub.add_parser("rotate", help="new organisation key version; re-wraps data keys")
        rotate.add_argument(
            "--rekey", action="store_true", help="also change the master (database) key"
        )
        rotate.add_argument(
            "--new-passphrase-fd", type=int, default=None, help="read the new passphrase here"
        )
        backup = sub.add_parser("backup", help="back up the master key to key holders")
        backup.add_argument(
            "--recipient",
            "--recipients",
            action="append",
            default=[],
            help="a key holder's age public key (age1…); repeatable",
        )
        backup.add_argument("--shares", metavar="K-of-N", help="split into N shares, K needed")
        backup.add_argument("--out", type=Path, required=True, help="folder for the files")
        recover = sub.add_parser("recover", help="rebuild the master key into a new keyfile")
        recover.add_argument("files", nargs="+", type=Path, help="key backup or share files")
        recover.add_argument(
            "--identity",
            action="append",
            type=Path,
            default=[],
            help="a key holder's age identity file; repeatable",
        )
        recover.add_argument("--out", type=Path, required=True, help="new keyfile to write")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "_" + options["action"])(options)

    def _rotate(self, options: dict[str, Any]) -> None:
        report = rotate_org_key()
        audit_event("key_operation", operation="rotate", count=report.values, result="ok")
        self.stdout.write(
            f"Organisation key now version {report.new_version}; {report.values} values "
            f"re-wrapped; versions {', '.join(map(str, report.old_versions))} deleted."
        )
        if options["rekey"]:
            config = getattr(settings, "KEY_SOURCE_CONFIG", None)
            if config is None:
                raise KeySourceError("settings.KEY_SOURCE_CONFIG is not set; cannot rekey.")
            rekey_from_source(config, new_passphrase_fd=options["new_passphrase_fd"])
            audit_event("key_operation", operation="rekey", result="ok")
            self.stdout.write(f"Master key changed (fingerprint {fingerprint(master_key())}).")

    def _backup(self, options: dict[str, Any]) -> None:
        shares = parse_threshold(options["shares"]) if options["shares"] else None
        written = backup_master_key(master_key(), options["out"], options["recipient"], shares)
        audit_event(
            "key_operation",
            operation="backup-split" if shares else "backup-age",
            count=len(written),
            recipients=len(options["recipient"]),
        )
        for path in written:
            self.stdout.write(f"  wrote {path}")
        if shares and not options["recipient"]:
            self.stdout.write("Hand each share to its key holder, then delete these files.")

    def _recover(self, options: dict[str, Any]) -> None:
        key = recover_master_key(options["files"], options["identity"])
        write_key_file(options["out"], key)
        self.stdout.write(
            f"Recovered key (fingerprint {fingerprint(key)}) written to {options['out']}. "
            "Open the database with VIGIL_KEY_SOURCE=keyfile VIGIL_ALLOW_KEYFILE=1 "
            "VIGIL_KEYFILE=<that file>, then `vigil keys rotate --rekey` to a new passphrase "
            "and delete the file."
        )
