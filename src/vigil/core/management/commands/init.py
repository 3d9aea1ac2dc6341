from typing import Any

from django.conf import settings

from vigil.core.commands import VigilCommand
from vigil.core.setup import initialise, key_description


class Command(VigilCommand):
    help = "Create (or upgrade) the encrypted database in VIGIL_DATA_DIR."

    def handle(self, *args: Any, **options: Any) -> None:
        folder = initialise(verbosity=max(0, options["verbosity"] - 1))
        where = (
            "PostgreSQL (VIGIL_DATABASE_URL)"
            if settings.DATABASE_URL
            else f"{settings.DATABASES['default']['NAME']} (SQLCipher, {key_description()})"
        )
        self.stdout.write(f"Vigil database ready: {where}\nData folder: {folder}")
