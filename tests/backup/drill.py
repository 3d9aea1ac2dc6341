"""The restore drill of docs/operations.md: data with evidence and a signed checkpoint, a backup,
and the `vigil` commands run as an operator would, in a separate process per command."""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

import pyrage
from django.conf import settings
from pyrage import x25519

import vigil
from tests.conftest import child_env
from vigil.accounts.models import User
from vigil.audit import audit
from vigil.audit.checkpoints import create_checkpoint
from vigil.backup.archive import BackupResult, create_backup
from vigil.backup.keyring import database_keyring
from vigil.core.context import change_context
from vigil.core.history import bulk_create_records
from vigil.evidence.ingest import ingest
from vigil.records.models import Evidence, Person, Source

OPERATOR = "fictional-drill-admin"
SRC = str(Path(vigil.__file__).resolve().parent.parent)
ROOT = str(Path(__file__).resolve().parent.parent.parent)  # the repository (tests.backup.drill)


@dataclass
class Installation:
    """The in-process installation a backup is taken from."""

    evidence_dir: Path
    signing_key: Path
    evidence: list[Evidence]


def populate(tmp_path: Path, settings_fixture: object) -> Installation:
    """Records, two evidence files, audit entries and a signed checkpoint (all fictional)."""
    store = tmp_path / "evidence"
    key = tmp_path / "audit-signing.key"
    settings_fixture.EVIDENCE_DIR = store  # type: ignore[attr-defined]
    settings_fixture.AUDIT_SIGNING_KEY_FILE = key  # type: ignore[attr-defined]
    # The test database is emptied between tests but the process keeps organisation keys
    # cached: forget them, or fields get sealed under a key the database no longer holds.
    database_keyring().forget()
    User.objects.create_user(username=OPERATOR, password=None, role="admin", is_active=True)
    with change_context("test", detail="restore drill"):
        Person.objects.create(display_name="Fictional Witness Example")
        # A bulk write: its history is one batch row (core_versionbatch), restored with the rest.
        bulk_create_records([Person(display_name=f"Fictional Imported {i}") for i in range(2)])
        source = Source(title="Fictional report on a fictional search")
        source.save()
        evidence = [
            ingest(source, io.BytesIO(b"fictional statement %d\n" % i * 500), f"statement-{i}.txt")
            for i in range(2)
        ]
        audit("export", result="ok")
    create_checkpoint()
    return Installation(store, key, evidence)


def key_holder(tmp_path: Path) -> tuple[x25519.Identity, Path]:
    identity = x25519.Identity.generate()
    path = tmp_path / "keyholder.identity"
    path.write_text(f"{identity}\n")
    return identity, path


def backup(tmp_path: Path, identity: x25519.Identity) -> BackupResult:
    return create_backup(tmp_path / "vigil-backup.age", [str(identity.to_public())])


def env_for(data_dir: Path, database_url: str = "") -> dict[str, str]:
    """The environment of an operator's shell on the restored installation: its own data
    folder, the same master key (a keyfile kept outside the folder), the given database."""
    env = child_env()
    env.update(
        VIGIL_DATA_DIR=str(data_dir),
        VIGIL_KEY_SOURCE="keyfile",
        VIGIL_ALLOW_KEYFILE="1",
        VIGIL_KEYFILE=str(settings.KEY_FILE),
        PYTHONPATH=SRC,
    )
    if database_url:
        env["VIGIL_DATABASE_URL"] = database_url
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def vigil_cli(
    env: dict[str, str], *args: str, pass_fds: tuple[int, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """Run `vigil ARGS` in a separate process."""
    return subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "vigil", *args],
        env=env,
        pass_fds=pass_fds,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def open_archive(path: Path, identity: x25519.Identity) -> dict[str, bytes]:
    tar = tarfile.open(fileobj=io.BytesIO(pyrage.decrypt(path.read_bytes(), [identity])))
    return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]


def reseal(
    path: Path,
    identity: x25519.Identity,
    files: dict[str, bytes],
    *,
    drop: str = "",
    unlist: bool = False,
    rehash: bool = True,
) -> None:
    """Write the archive again without ``drop`` (and, with ``unlist``, without its manifest
    entry; without ``rehash``, the manifest's digests as they were), re-encrypted, as someone
    holding a recipient identity could."""
    files = dict(files)
    manifest = json.loads(files["manifest.json"])
    if drop:
        del files[drop]
        if unlist:
            manifest["files"] = [f for f in manifest["files"] if f["name"] != drop]
    for entry in manifest["files"] if rehash else []:
        if entry["name"] in files:
            entry["sha256"] = hashlib.sha256(files[entry["name"]]).hexdigest()
            entry["size"] = len(files[entry["name"]])
    files["manifest.json"] = json.dumps(manifest).encode()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    path.write_bytes(pyrage.encrypt(buffer.getvalue(), [identity.to_public()]))


#: Run by `vigil shell` on a restored installation: its history as every reader sees it.
HISTORY_PRINT = (
    "import json; from tests.backup.drill import history_rows; print(json.dumps(history_rows()))"
)


def history_rows() -> list[list[object]]:
    """Every version every reader sees (stored and derived from batches), as JSON values."""
    from vigil.core.history import all_versions

    rows = [
        [
            v.model,
            str(v.object_id),
            v.version,
            v.action,
            v.at.isoformat(),
            str(v.context_id),
            v.context_kind,
            v.context_detail,
            v.actor_id,
            json.dumps(v.snapshot, sort_keys=True),
        ]
        for v in all_versions()
    ]
    return sorted(json.loads(json.dumps(rows)))


def history_seen(env: dict[str, str] | None = None) -> list[list[object]]:
    """The history of this installation (``env`` None) or of a restored one (`vigil shell`)."""
    if env is None:
        return history_rows()
    env = {**env, "PYTHONPATH": f"{ROOT}:{env['PYTHONPATH']}"}
    done = vigil_cli(env, "shell", "-c", HISTORY_PRINT)
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def run_drill(archive: Path, identity_file: Path, env: dict[str, str]) -> dict[str, str]:
    """docs/operations.md's restore drill; each command's output by name (asserts exit 0)."""
    outputs = {}
    for name, args in (
        ("verify", ["backup", "verify", str(archive), "--identity", str(identity_file)]),
        ("restore", ["backup", "restore", str(archive), "--identity", str(identity_file)]),
        ("evidence", ["evidence", "verify", "--all", "--as", OPERATOR]),
        ("audit", ["audit", "verify"]),
        ("checkpoint", ["audit", "checkpoint"]),
        ("audit-again", ["audit", "verify"]),
    ):
        done = vigil_cli(env, *args)
        assert done.returncode == 0, f"vigil {' '.join(args)}: {done.stdout}{done.stderr}"
        assert "Traceback" not in done.stderr
        outputs[name] = done.stdout
    return outputs


def checkpoints_in(output: str, phrase: str) -> int:
    """The number of signed checkpoints an audit-verify line reports after ``phrase``."""
    found = re.search(rf"{phrase} (\d+) signed checkpoint\(s\)", output)
    assert found, output
    return int(found[1])
