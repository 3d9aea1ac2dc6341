"""Key management and encrypted backups: organisation keys, rotation, key backup, backups."""
