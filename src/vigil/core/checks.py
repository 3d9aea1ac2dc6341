"""Django system checks of the settings several hosts depend on (run by every `vigil` command)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from vigil.core.client_address import parse_networks


@checks.register(checks.Tags.database)
def replica_needs_postgres(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A replica URL without a PostgreSQL primary would be ignored silently: say so instead."""
    if getattr(settings, "DATABASE_REPLICA_URL", "") and not getattr(settings, "DATABASE_URL", ""):
        return [
            checks.Error(
                "VIGIL_DATABASE_REPLICA_URL is set but VIGIL_DATABASE_URL is not: a read "
                "replica needs a PostgreSQL primary (encrypted SQLite has no replica).",
                id="vigil.E001",
            )
        ]
    return []


@checks.register(checks.Tags.security)
def trusted_proxies_parse(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every VIGIL_TRUSTED_PROXIES entry is an address or network."""
    try:
        parse_networks(getattr(settings, "TRUSTED_PROXIES", ""))
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="vigil.E002")]
    return []
