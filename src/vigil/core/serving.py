"""`vigil serve`: a production WSGI server (gunicorn) bound to loopback by default."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from vigil.core.errors import ConfigurationError


def check_database_ready() -> None:
    """Fail with a clear message when the database is missing or not migrated."""
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise ConfigurationError(
            "The database is not initialised or needs an upgrade: run `vigil init`."
        )


def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 2) -> None:
    """Serve the web UI with gunicorn until interrupted."""
    from gunicorn.app.base import BaseApplication

    check_database_ready()
    call_command("collectstatic", interactive=False, verbosity=0)
    connection.close()  # workers open their own connections after the fork

    class _App(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in {
                "bind": f"{host}:{port}",
                "workers": workers,
                "worker_class": "gthread",
                "threads": 4,
                "accesslog": None,  # no request log: paths can name records
                "errorlog": "-",
                "loglevel": "warning",
                "proc_name": "vigil",
                "forwarded_allow_ips": os.environ.get("VIGIL_FORWARDED_ALLOW_IPS", "127.0.0.1"),
            }.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from vigil.wsgi import application  # after collectstatic: whitenoise indexes it

            return application

    if not settings.DEBUG:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core dumps of decrypted data
        except (ImportError, ValueError, OSError):
            pass
    _App().run()
