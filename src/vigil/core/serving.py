"""`vigil serve`: a production WSGI server (gunicorn) bound to loopback by default."""

from __future__ import annotations

import ipaddress
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from vigil.core.demo_folder import is_demo
from vigil.core.errors import ConfigurationError
from vigil.core.static_files import collect_static


def check_database_ready() -> None:
    """Fail with a clear message when the database is missing or not migrated, or when this
    host does not share what every host on the database must (see check_shared_configuration)."""
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise ConfigurationError(
            "The database is not initialised or needs an upgrade: run `vigil init`."
        )
    check_shared_configuration()


# What every host on one database must share, checked before serving or working (the audit
# log registers its signing-key check in its app's ``ready()``: core names no app above it).
_SHARED_CHECKS: list[Callable[[], None]] = []


def on_shared_configuration_check(check: Callable[[], None]) -> None:
    """Run ``check()`` (it raises ConfigurationError) before `vigil serve` or a worker starts."""
    if check not in _SHARED_CHECKS:
        _SHARED_CHECKS.append(check)


def check_shared_configuration() -> None:
    """What every host on one database must share, checked before serving or working: the
    audit signing key (see docs/operations.md, "Several hosts")."""
    for check in _SHARED_CHECKS:
        check()


# Django's deploy warnings about plain HTTP: expected for the demo on loopback, and fatal
# when the server is reachable from other machines (cookies and debug pages in clear).
HTTP_ONLY = ("security.W004", "security.W008", "security.W012", "security.W016")
DEBUG_ON = "security.W018"


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable only from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def in_demo() -> bool:
    """Whether this process serves the demo database (`vigil demo`)."""
    return is_demo(settings.DATA_DIR)


@dataclass
class Preflight:
    """The outcome of the deploy checks for one way of serving."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    relaxed: list[str] = field(default_factory=list)


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr)


def _line(message: checks.CheckMessage) -> str:
    hint = f" ({message.hint})" if message.hint else ""
    return f"{message.id}: {message.msg}{hint}"


def preflight(host: str, *, demo: bool | None = None) -> Preflight:
    """Run Django's deploy checks and Vigil's own system checks for serving on ``host``.

    Errors refuse the start. Plain-HTTP and debug warnings become errors when ``host`` is
    reachable from other machines; the demo on loopback needs plain HTTP, so those are relaxed.
    """
    demo = in_demo() if demo is None else demo
    local = is_loopback(host)
    result = Preflight()
    for message in checks.run_checks(include_deployment_checks=True):
        if message.is_silenced():
            continue
        if message.level >= checks.ERROR:
            result.errors.append(_line(message))
        elif message.id in (*HTTP_ONLY, DEBUG_ON) and not local:
            result.errors.append(f"{_line(message)} — refused on the non-loopback address {host}")
        elif message.id in HTTP_ONLY and demo:
            result.relaxed.append(message.id or "")
        elif message.level >= checks.WARNING:
            result.warnings.append(_line(message))
    return result


def check_deploy(
    host: str, say: Callable[[str], Any] = _to_stderr, *, demo: bool | None = None
) -> None:
    """Print the deploy warnings; raise ConfigurationError when a check fails."""
    result = preflight(host, demo=demo)
    for line in result.warnings:
        say(f"warning: {line}")
    if result.relaxed:
        say(f"demo on loopback over plain HTTP: {', '.join(result.relaxed)} not applied")
    if result.errors:
        raise ConfigurationError(
            "Refusing to serve: the deploy checks failed:\n  " + "\n  ".join(result.errors)
        )


# Run in gunicorn's master at a clean stop, registered in an app's ``ready()`` (the audit log
# signs a checkpoint of its head): core names no app above it.
_ON_EXIT: list[Callable[[Any], None]] = []


def on_server_exit(hook: Callable[[Any], None]) -> None:
    """Run ``hook(server)`` when `vigil serve` stops cleanly (once)."""
    if hook not in _ON_EXIT:
        _ON_EXIT.append(hook)


def _shutdown_hooks() -> dict[str, Callable[[Any], None]]:
    """gunicorn hooks run at a clean stop: those the apps registered, in order."""
    if not _ON_EXIT:
        return {}
    if len(_ON_EXIT) == 1:
        return {"on_exit": _ON_EXIT[0]}
    hooks = list(_ON_EXIT)

    def on_exit(server: Any) -> None:
        for hook in hooks:
            hook(server)

    return {"on_exit": on_exit}


# gunicorn's layout: gthread workers (processes) × threads each. Two threads, not one: a worker
# keeps taking connections while its threads are busy, so with one thread a slow page (an
# export, a PDF) would hold every request that worker took; with two, the other thread answers
# them (tests/core/test_serve_slow_page.py). Not four: each thread has its own connection and
# cache of decrypted pages, and threads take turns on Python's lock — on two cores 2 × 2 spent
# the CPU per request of 2 × 1 on the list, well under 2 × 4's (docs/benchmarks.md §4, "eighth
# round: the serving layer and the default layout").
DEFAULT_WORKERS = 2
DEFAULT_THREADS = 2
# gthread, sharing connections evenly between the workers (see its module: with gthread itself
# 16 kept-alive clients were often split 15 / 1 or 16 / 0, one core serving them all).
WORKER_CLASS = "vigil.core.serving_worker.BalancedThreadWorker"


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = DEFAULT_WORKERS,
    say: Callable[[str], Any] = _to_stderr,
    announce: Callable[[str], Any] | None = None,
    *,
    threads: int = DEFAULT_THREADS,
) -> None:
    """Serve the web UI with gunicorn until interrupted, after the deploy checks pass; the
    address is announced once gunicorn listens on it (not before: start-up takes seconds)."""
    tell = announce or say
    if workers < 1 or threads < 1:
        raise ConfigurationError("`vigil serve` needs at least one worker and one thread each.")

    def listening(server: Any) -> None:
        tell(f"Vigil at http://{host}:{port}/ (listening; Ctrl-C stops it)")
        sys.stdout.flush()

    from gunicorn.app.base import BaseApplication

    from vigil.core import serving_worker  # its shared counts exist before the workers fork

    check_database_ready()
    check_deploy(host, say)
    collect_static()
    connection.close()  # workers open their own connections after the fork

    class _App(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in {
                "bind": f"{host}:{port}",
                "workers": workers,
                "worker_class": WORKER_CLASS,
                "threads": threads,
                "accesslog": None,  # no request log: paths can name records
                "errorlog": "-",
                "loglevel": "warning",
                "proc_name": "vigil",
                "forwarded_allow_ips": os.environ.get("VIGIL_FORWARDED_ALLOW_IPS", "127.0.0.1"),
                "when_ready": listening,
                "child_exit": serving_worker.child_exit,
                **_shutdown_hooks(),
            }.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            # After collectstatic: whitenoise indexes the files when the application is built.
            return get_wsgi_application()

    if not settings.DEBUG:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core dumps of decrypted data
        except (ImportError, ValueError, OSError):
            pass
    _App().run()
