from typing import Any

import pyotp
from django.conf import settings

from vigil.accounts.models import User
from vigil.accounts.totp import confirmed_device
from vigil.core.commands import VigilCommand
from vigil.core.errors import ConfigurationError
from vigil.demo.location import MARKER


class Command(VigilCommand):
    help = "Print the demo user's current 2FA code (demo database only)."

    def handle(self, *args: Any, **options: Any) -> None:
        from pathlib import Path

        if not (Path(settings.DATA_DIR) / MARKER).exists():
            raise ConfigurationError("There is no demo database here: run `vigil demo` first.")
        user = User.objects.filter(username="demo").first()
        device = confirmed_device(user) if user else None
        if device is None:
            raise ConfigurationError("The demo database has no demo user with 2FA.")
        self.stdout.write(pyotp.TOTP(device.secret).now())
