"""Creating a new Vigil database: data folder, key, secret, schema and vocabularies."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from vigil.core.errors import ConfigurationError
from vigil.core.keys import create_key_file, create_secret_key, ensure_private_dir


def initialise(*, verbosity: int = 0) -> Path:
    """Create the data folder, its key and the schema; refuses to overwrite a database."""
    data_dir = Path(settings.DATA_DIR)
    ensure_private_dir(data_dir)
    create_secret_key(data_dir)
    if settings.KEY_SOURCE_CONFIG.source == "keyfile":
        db = Path(settings.DATA_DIR) / "vigil.db"
        key = Path(settings.KEY_FILE)
        if not settings.DATABASE_URL and db.exists() and not key.exists():
            raise ConfigurationError(
                f"{db} exists but its key {key} does not; refusing to create a new key."
            )
        if not key.exists():
            create_key_file(key)
    # The settings' lazy master key (crypto.keysource) makes a passphrase header only here.
    new = getattr(getattr(settings, "MASTER_KEY", None), "new_installation", None)
    with new() if new is not None else nullcontext():
        call_command("migrate", interactive=False, verbosity=verbosity)
    return data_dir


def key_description() -> str:
    """Where the database key of this installation comes from, naming only files that exist."""
    config = settings.KEY_SOURCE_CONFIG
    if config.source == "keyfile":
        return f"key file {settings.KEY_FILE}"
    if config.source == "command":
        return "key printed by VIGIL_KEY_COMMAND"
    header = Path(config.header_path)
    if header.exists():
        return f"key from your passphrase; Argon2id salt and parameters in {header}"
    return "key from your passphrase"
