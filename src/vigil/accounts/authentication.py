"""Who signs a request: Django's ``AuthenticationMiddleware``, the user read compiled once.

Every signed-in request reads its user by the key its session holds. Django's
``ModelBackend.get_user`` builds and compiles that read through the model's manager on each
request (~0.3 ms of CPU against ~0.03 ms for the statement itself). Here the same read — every
column of the user's row, by primary key, on the database the router chooses — runs as a
statement compiled once per process and database (``vigil.core.statements``), and the row
becomes the user as the ORM makes it (``Model.from_db`` with the columns' converters).

Nothing else changes: :func:`get_user` is Django's ``django.contrib.auth.get_user``, step for
step — the session's user key and backend path, the backend listed in
``AUTHENTICATION_BACKENDS``, an inactive user refused (the backend's ``user_can_authenticate``),
the session's hash verified against the user's password hash (and the fallback secrets, which
rotate the session), a session that does not verify flushed. Only when the session's backend is
exactly Django's ``ModelBackend`` is the user read by the statement; any other backend reads
as it always did. A user deleted, deactivated or whose password changed is refused on the next
request, as before: nothing is kept across requests. ``tests/accounts/test_authentication.py``
compares it with Django's function case by case.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import (  # type: ignore[attr-defined]  # Django's own helper
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    _get_user_session_key,
    get_user_model,
    load_backend,
)
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.contrib.auth.models import AnonymousUser
from django.db import router
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from vigil.core.statements import Statement


class _UserRead:
    """The user's row by key (made at first use: the models load after this module)."""

    def __init__(self) -> None:
        self.statement: Statement | None = None
        self.attnames: list[str] = []

    def user(self, user_id: Any) -> Any:
        """The user whose key is ``user_id`` as ``User._default_manager.get(pk=...)`` gives it,
        or None when there is none."""
        model = get_user_model()
        if self.statement is None:
            attnames = [f.attname for f in model._meta.concrete_fields]

            def build(pk: Any) -> Any:
                return model._default_manager.filter(pk=pk).values_list(*attnames)

            self.attnames = attnames
            self.statement = Statement(model, [model._meta.pk], build)
        rows = self.statement.rows(user_id)
        if not rows:
            return None
        alias = router.db_for_read(model) or "default"  # the database the statement read
        return model.from_db(alias, self.attnames, rows[0])


_USER = _UserRead()


def backend_user(backend: Any, user_id: Any) -> Any:
    """``backend.get_user(user_id)``; for Django's ``ModelBackend`` itself the compiled read
    and the same check (an inactive user is None)."""
    if type(backend) is not ModelBackend:
        return backend.get_user(user_id)
    user = _USER.user(user_id)
    if user is None:
        return None
    return user if backend.user_can_authenticate(user) else None


def get_user(request: HttpRequest) -> Any:
    """The request's user, as ``django.contrib.auth.get_user`` finds it (see the module)."""
    user = None
    try:
        user_id = _get_user_session_key(request)
        backend_path = request.session[BACKEND_SESSION_KEY]
    except KeyError:
        pass
    else:
        if backend_path in settings.AUTHENTICATION_BACKENDS:
            backend = load_backend(backend_path)
            user = backend_user(backend, user_id)
            # Verify the session
            if hasattr(user, "get_session_auth_hash"):
                session_hash = request.session.get(HASH_SESSION_KEY)
                if not session_hash:
                    session_hash_verified = False
                else:
                    session_auth_hash = user.get_session_auth_hash()
                    session_hash_verified = constant_time_compare(session_hash, session_auth_hash)
                if not session_hash_verified:
                    # If the current secret does not verify the session, try with the fallback
                    # secrets and stop when a matching one is found.
                    if session_hash and any(
                        constant_time_compare(session_hash, fallback_auth_hash)
                        for fallback_auth_hash in user.get_session_auth_fallback_hash()
                    ):
                        request.session.cycle_key()
                        request.session[HASH_SESSION_KEY] = session_auth_hash
                    else:
                        request.session.flush()
                        user = None

    return user or AnonymousUser()


def _cached_user(request: HttpRequest) -> Any:
    if not hasattr(request, "_cached_user"):
        request._cached_user = get_user(request)  # type: ignore[attr-defined]
    return request._cached_user  # type: ignore[attr-defined]


class AuthenticationMiddleware(DjangoAuthentication):
    """Django's middleware (its checks, ``request.auser``), ``request.user`` by :func:`get_user`."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _cached_user(request))  # type: ignore[assignment]
