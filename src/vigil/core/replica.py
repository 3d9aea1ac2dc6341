"""Reads from a PostgreSQL streaming replica, for heavy read-only work only.

With ``VIGIL_DATABASE_REPLICA_URL`` set, the database alias ``replica`` is a hot standby of the
primary. Nothing goes to it unless asked: a block of code inside :func:`reading_from_replica`
(a command such as `vigil opendata export`) or a view wrapped in :func:`replica_view` (the
figures, checks, exports and open-data pages) reads the *record's* tables there. Everything
else stays on the primary:

- every write, and every read that locks (``select_for_update``, ``get_or_create``);
- the tables of accounts, sessions, the policy (grants, quotas), the audit log, keys, core
  counters and the alert outbox, even inside a replica block: who may see what is decided on
  fresh rows;
- a browser that wrote within ``VIGIL_REPLICA_PIN_SECONDS`` (a cookie set on every POST, PUT,
  PATCH or DELETE, so it follows the user across hosts): it reads its own writes;
- everything while the replica lags more than ``VIGIL_REPLICA_MAX_LAG`` seconds, is not in
  recovery (promoted) or cannot be reached: a warning is logged and the primary answers.

Without the setting the router answers nothing and Django's single database is untouched.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PIN_COOKIE = "vigil_primary"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The apps whose tables hold the record (persons, acts, sources, sanctions, responses, figures'
# inputs). Accounts, sessions, policy, audit, backup keys, core counters and alerts are absent:
# deny by default, so a new app reads from the primary until it is listed here.
REPLICA_APPS = frozenset(
    {
        "records",
        "sanctions",
        "responses",
        "evidence",
        "outputs",
        "reports",
        "opendata",
        "search",
        "counting",
        "solidarity",
        "protection",
        "warning",
        "importers",
    }
)
CHECK_EVERY = 5.0  # seconds a good check of the replica is trusted by this process
RETRY_AFTER = 30.0  # seconds an unreachable replica is left alone by this process
LAG_SQL = (
    "SELECT pg_is_in_recovery(), CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM "
    "pg_last_wal_replay_lsn() THEN 0 ELSE COALESCE(EXTRACT(EPOCH FROM now() - "
    "pg_last_xact_replay_timestamp()), 0) END"
)

logger = logging.getLogger("vigil.replica")
_reading: contextvars.ContextVar[bool] = contextvars.ContextVar("vigil_replica", default=False)
_lock = threading.Lock()
_state: dict[str, float] = {"good_until": 0.0, "down_until": 0.0}

V = TypeVar("V", bound=Callable[..., HttpResponse])


def configured() -> bool:
    """Whether a replica is configured (the ``replica`` database alias exists)."""
    return REPLICA in connections.settings


def max_lag() -> float:
    return float(getattr(settings, "REPLICA_MAX_LAG", 10.0))


def pin_seconds() -> int:
    return int(getattr(settings, "REPLICA_PIN_SECONDS", 30))


def reset() -> None:
    """Forget what this process knows of the replica's health (tests; a changed alias)."""
    with _lock:
        _state.update(good_until=0.0, down_until=0.0)


def _give_up(reason: str, retry_after: float) -> None:
    with _lock:
        _state.update(good_until=0.0, down_until=time.monotonic() + retry_after)
    logger.warning("Read replica not used (%s); reading from the primary.", reason)
    try:
        connections[REPLICA].close()
    except DatabaseError:  # the connection is already gone
        pass


def lag() -> tuple[bool, float]:
    """``(in recovery, seconds behind)`` as the replica reports them; DatabaseError if down."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(LAG_SQL)
        in_recovery, behind = cursor.fetchone()
    return bool(in_recovery), float(behind or 0)


def available() -> bool:
    """Whether the replica may serve reads now: reachable, a standby, within the lag allowed.

    A good answer is trusted for :data:`CHECK_EVERY` seconds; after a failure the replica is
    left alone for :data:`RETRY_AFTER` seconds (a lag beyond the limit: :data:`CHECK_EVERY`).
    """
    if not configured():
        return False
    now = time.monotonic()
    with _lock:
        if now < _state["down_until"]:
            return False
        if now < _state["good_until"]:
            return True
    try:
        in_recovery, behind = lag()
    except DatabaseError as exc:
        _give_up(f"unreachable: {type(exc).__name__}", RETRY_AFTER)
        return False
    if not in_recovery:
        _give_up("it is not a standby (promoted?)", RETRY_AFTER)
        return False
    if behind > max_lag():
        _give_up(f"{behind:.1f} s behind, more than {max_lag():g} s", CHECK_EVERY)
        return False
    with _lock:
        _state["good_until"] = time.monotonic() + CHECK_EVERY
    return True


def active() -> bool:
    """Whether the current block reads the record from the replica."""
    return _reading.get()


@contextmanager
def reading_from_replica() -> Iterator[bool]:
    """Read the record's tables from the replica inside the block, when it is available.

    Yields whether it is. Writes, locking reads and the primary-only apps are unaffected.
    """
    use = available()
    token = _reading.set(use)
    try:
        yield use
    finally:
        _reading.reset(token)


@contextmanager
def reading_from_primary() -> Iterator[None]:
    """Every read inside the block goes to the primary (a read that a write depends on)."""
    token = _reading.set(False)
    try:
        yield
    finally:
        _reading.reset(token)


def pinned(request: HttpRequest) -> bool:
    """Whether this browser wrote recently and must read its own writes from the primary."""
    return PIN_COOKIE in request.COOKIES


def replica_view(view: V) -> V:
    """Serve a read-only view from the replica (when configured, available and not pinned).

    Should the replica fail in the middle, the view runs again on the primary: it only reads
    the record, so running it twice changes nothing but its own audit and quota rows.
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not configured() or request.method in UNSAFE_METHODS or pinned(request):
            return view(request, *args, **kwargs)
        with reading_from_replica() as use:
            if not use:
                return view(request, *args, **kwargs)
            try:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                    response.render()  # a TemplateResponse renders while the block holds
                return response
            except DatabaseError as exc:
                if _replica_still_up():
                    raise
                _give_up(f"failed during a request: {type(exc).__name__}", RETRY_AFTER)
        return view(request, *args, **kwargs)

    return wrapped  # type: ignore[return-value]  # same signature as the view


def _replica_still_up() -> bool:
    try:
        lag()
    except DatabaseError:
        return False
    return True


class PrimaryPinMiddleware:
    """After a write (POST, PUT, PATCH, DELETE), pin the browser to the primary for a while.

    The pin is a cookie, not process memory, so the host that serves the next request knows it.
    It carries no data: its presence is the pin, its lifetime the pin's length.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method in UNSAFE_METHODS and configured() and pin_seconds() > 0:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=pin_seconds(),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Strict",
            )
        return response


class ReplicaRouter:
    """Django's database router: the record's reads to the replica inside a replica block."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if not configured():
            return None
        if _reading.get() and model._meta.app_label in REPLICA_APPS:
            return REPLICA
        # An instance read from the replica still reads its relations from the primary
        # outside a replica block (Django would follow the instance's database otherwise).
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        # Always the primary, also for an instance that was read from the replica.
        return DEFAULT_DB_ALIAS if configured() else None

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        dbs = {obj1._state.db, obj2._state.db}
        return True if dbs <= {DEFAULT_DB_ALIAS, REPLICA, None} else None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None


def wait_for_replay(timeout: float) -> bool:
    """Wait until the replica has replayed everything the primary has written so far.

    Returns False (and logs why) when it has not within ``timeout`` seconds or is down.
    """
    if not configured():
        return False
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    try:
        while True:
            with connections[REPLICA].cursor() as cursor:
                cursor.execute(
                    "SELECT pg_is_in_recovery(), "
                    "COALESCE(pg_last_wal_replay_lsn() >= %s::pg_lsn, false)",
                    [target],
                )
                in_recovery, caught_up = cursor.fetchone()
            if not in_recovery:
                _give_up("it is not a standby (promoted?)", RETRY_AFTER)
                return False
            if caught_up:
                return True
            if time.monotonic() > deadline:
                logger.warning(
                    "Read replica has not replayed the primary's writes within %g s; "
                    "using the primary.",
                    timeout,
                )
                return False
            time.sleep(0.1)
    except DatabaseError as exc:
        _give_up(f"unreachable: {type(exc).__name__}", RETRY_AFTER)
        return False
