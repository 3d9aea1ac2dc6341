"""Where the master key comes from: a passphrase, an external secret command, or a keyfile.

The master key opens the SQLCipher database and wraps the organisation keys of field-level
encryption. It is never logged or printed: errors name the source, never the key.
"""

from __future__ import annotations

import getpass
import hmac
import os
import shlex
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from vigil.crypto import kdf
from vigil.crypto.errors import KeySourceError

SOURCES = ("passphrase", "command", "keyfile")
MIN_PASSPHRASE = 12
COMMAND_TIMEOUT = 60

Prompt = Callable[[str], str]

# Only `vigil init` (core.setup.initialise, through ``LazyMasterKey.new_installation``) makes a
# new passphrase header: any other command that finds none is pointed at a folder with no
# installation, and must not ask for a passphrase and quietly start an empty database there.
_NEW_INSTALLATION: ContextVar[bool] = ContextVar("new_installation", default=False)


@dataclass(frozen=True)
class KeySourceConfig:
    """The VIGIL_KEY_SOURCE settings, read once from the environment."""

    source: str
    header_path: Path
    key_file: Path
    database_path: Path | None = None
    command: str = ""
    passphrase_fd: int | None = None
    allow_keyfile: bool = False

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str],
        *,
        data_dir: Path,
        key_file: Path,
        database_path: Path | None,
        keyfile_by_default: bool = False,
    ) -> KeySourceConfig:
        """Read VIGIL_KEY_SOURCE and its companions; the demo and tests default to a keyfile."""
        default = "keyfile" if keyfile_by_default else "passphrase"
        source = (environ.get("VIGIL_KEY_SOURCE") or default).strip().lower()
        fd_text = environ.get("VIGIL_PASSPHRASE_FD", "").strip()
        try:
            fd = int(fd_text) if fd_text else None
        except ValueError as exc:
            raise KeySourceError("VIGIL_PASSPHRASE_FD must be a file descriptor number.") from exc
        allowed = keyfile_by_default or environ.get("VIGIL_ALLOW_KEYFILE", "").strip() in {
            "1",
            "true",
            "yes",
        }
        header = environ.get("VIGIL_KEY_HEADER") or str(data_dir / "vigil.kdf.json")
        return cls(
            source=source,
            header_path=Path(header),
            key_file=key_file,
            database_path=database_path,
            command=environ.get("VIGIL_KEY_COMMAND", ""),
            passphrase_fd=fd,
            allow_keyfile=allowed,
        )


def database_key(config: KeySourceConfig, *, prompt: Prompt | None = None) -> bytes:
    """The 32-byte master key from the configured source; raises KeySourceError if refused."""
    if config.source == "passphrase":
        return key_from_passphrase(config, prompt=prompt)
    if config.source == "command":
        return key_from_command(config.command)
    if config.source == "keyfile":
        if not config.allow_keyfile:
            raise KeySourceError(
                "VIGIL_KEY_SOURCE=keyfile is refused: a keyfile on the same disk as the database "
                "protects nothing when the machine is seized. Use VIGIL_KEY_SOURCE=passphrase "
                "or command; set VIGIL_ALLOW_KEYFILE=1 only if the keyfile lives elsewhere "
                "(a removable or separately encrypted volume)."
            )
        return read_key_file(config.key_file)
    raise KeySourceError(
        f"VIGIL_KEY_SOURCE must be one of {', '.join(SOURCES)} (got {config.source!r})."
    )


def parse_hex_key(text: str, where: str) -> bytes:
    """A 256-bit key from its hex text; the message names ``where``, never the text."""
    try:
        key = bytes.fromhex(text.strip())
    except ValueError as exc:
        raise KeySourceError(f"{where} did not give a hex-encoded key.") from exc
    if len(key) != kdf.KEY_BYTES:
        raise KeySourceError(f"{where} must give a 256-bit key (64 hex digits).")
    return key


def read_key_file(path: Path) -> bytes:
    """The key stored hex-encoded in ``path``."""
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError as exc:
        raise KeySourceError(
            f"No database key at {path}. Run `vigil init` to create a database, "
            "or set VIGIL_KEYFILE to the key of an existing one."
        ) from exc
    except UnicodeDecodeError as exc:
        raise KeySourceError(f"The key file {path} is not a hex-encoded key.") from exc
    return parse_hex_key(text, f"The key file {path}")


def write_key_file(path: Path, key: bytes) -> Path:
    """Write ``key`` hex-encoded to a new owner-only file; refuses to overwrite."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key.hex() + "\n")
    return path


def key_from_command(command: str) -> bytes:
    """Run the secret command (no shell) and read a hex key from its standard output."""
    argv = shlex.split(command)
    if not argv:
        raise KeySourceError("VIGIL_KEY_SOURCE=command needs VIGIL_KEY_COMMAND.")
    try:
        done = subprocess.run(  # noqa: S603 - argv from the operator's own setting, no shell
            argv, capture_output=True, timeout=COMMAND_TIMEOUT, check=False
        )
    except FileNotFoundError as exc:
        raise KeySourceError(f"The key command {argv[0]!r} was not found.") from exc
    except subprocess.TimeoutExpired as exc:
        raise KeySourceError(f"The key command did not answer in {COMMAND_TIMEOUT} s.") from exc
    if done.returncode != 0:
        # Its output is not shown: a secret manager may print secrets there.
        raise KeySourceError(f"The key command failed (exit status {done.returncode}).")
    try:
        text = done.stdout.decode("ascii")
    except UnicodeDecodeError as exc:
        raise KeySourceError("The key command did not print a hex-encoded key.") from exc
    return parse_hex_key(text, "The key command")


def key_from_passphrase(config: KeySourceConfig, *, prompt: Prompt | None = None) -> bytes:
    """Derive the key with Argon2id; a new database gets a new salt and a confirmed passphrase."""
    header_path = config.header_path
    creating = not header_path.exists()
    if creating and config.database_path is not None and config.database_path.exists():
        raise _without_header(config)
    passphrase = read_passphrase(config, confirm=creating, prompt=prompt)
    if creating:
        if len(passphrase) < MIN_PASSPHRASE:
            raise KeySourceError(f"Choose a passphrase of at least {MIN_PASSPHRASE} characters.")
        header = kdf.new_header()
        key = kdf.derive_key(passphrase.encode("utf-8"), header)
        kdf.write_header(header_path, kdf.with_check(header, key))
        return key
    header = kdf.read_header(header_path)
    key = kdf.derive_key(passphrase.encode("utf-8"), header)
    if header.check and not hmac.compare_digest(header.check, kdf.key_check(key)):
        raise KeySourceError("Wrong passphrase for this database.")
    return key


def _without_header(config: KeySourceConfig) -> KeySourceError:
    return KeySourceError(
        f"The database {config.database_path} exists but its passphrase header "
        f"{config.header_path} does not; restore the header, or open it with its recovered key."
    )


def read_passphrase(
    config: KeySourceConfig, *, confirm: bool = False, prompt: Prompt | None = None
) -> str:
    """The passphrase from VIGIL_PASSPHRASE_FD, or typed at the terminal (twice when new)."""
    if config.passphrase_fd is not None:
        passphrase = _read_fd(config.passphrase_fd)
    else:
        if prompt is None:
            if not sys.stdin.isatty():
                raise KeySourceError(
                    "VIGIL_KEY_SOURCE=passphrase needs a terminal to ask for the passphrase, "
                    "or VIGIL_PASSPHRASE_FD naming a file descriptor to read it from."
                )
            prompt = getpass.getpass
        passphrase = prompt("Vigil passphrase: ")
        if confirm and prompt("Repeat the passphrase: ") != passphrase:
            raise KeySourceError("The two passphrases differ; nothing was created.")
    if not passphrase:
        raise KeySourceError("An empty passphrase was given.")
    return passphrase


def _read_fd(fd: int) -> str:
    """The first line of file descriptor ``fd``; a closed or unreadable one is a clear error."""
    try:
        with os.fdopen(fd, "r", encoding="utf-8", closefd=False) as handle:
            text = handle.readline()
    except OSError as exc:
        raise KeySourceError(
            f"VIGIL_PASSPHRASE_FD={fd} names a file descriptor that cannot be read "
            f"({exc.strerror or exc}); open it for reading, e.g. 3<passphrase-file."
        ) from None
    except UnicodeDecodeError:
        raise KeySourceError(
            f"VIGIL_PASSPHRASE_FD={fd}: the passphrase is not UTF-8 text."
        ) from None
    return text.rstrip("\r\n")


class LazyMasterKey:
    """The master key, asked for at the first database connection and then kept in memory.

    ``bytes(key)`` resolves it, so it can stand in the SQLCipher backend's ``OPTIONS["key"]``.
    """

    def __init__(self, resolve: Callable[[], bytes], label: str = "") -> None:
        self._resolve = resolve
        self._label = label
        self._key: bytes | None = None
        self._lock = threading.Lock()

    def __bytes__(self) -> bytes:
        with self._lock:
            if self._key is None:
                self._key = bytes(self._resolve())
            return self._key

    def replace(self, key: bytes) -> None:
        """Use ``key`` from now on (after a rekey)."""
        with self._lock:
            self._key = bytes(key)

    @contextmanager
    def new_installation(self) -> Iterator[None]:
        """Within this block a missing passphrase header is made (`vigil init`), not refused."""
        token = _NEW_INSTALLATION.set(True)
        try:
            yield
        finally:
            _NEW_INSTALLATION.reset(token)

    def forget(self) -> None:
        """Drop the cached key; the next use asks the source again."""
        with self._lock:
            self._key = None

    def __deepcopy__(self, memo: dict[int, Any]) -> LazyMasterKey:
        return self

    def __copy__(self) -> LazyMasterKey:
        return self

    def __repr__(self) -> str:
        return f"<master key from {self._label or 'its source'}: not shown>"


def lazy_master_key(config: KeySourceConfig) -> LazyMasterKey:
    """A LazyMasterKey reading ``config``'s source at first use; outside its
    ``new_installation`` block a missing passphrase header means there is no installation."""

    def resolve() -> bytes:
        if (
            config.source == "passphrase"
            and not config.header_path.exists()
            and not _NEW_INSTALLATION.get()
        ):
            missing_installation(config)
        return database_key(config)

    return LazyMasterKey(resolve, label=f"VIGIL_KEY_SOURCE={config.source}")


def missing_installation(config: KeySourceConfig) -> NoReturn:
    """Raise the error for a passphrase-keyed command run where no installation is."""
    folder = config.header_path.parent
    if config.database_path is not None and config.database_path.exists():
        raise _without_header(config)
    where = f"{folder} does not exist" if not folder.exists() else f"no {config.header_path.name}"
    raise KeySourceError(
        f"No Vigil installation in {folder} ({where}). Run `vigil init` to create one there, "
        "or set VIGIL_DATA_DIR to the folder of an existing installation."
    )
