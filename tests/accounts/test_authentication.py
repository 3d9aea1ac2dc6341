"""The request's user read by a compiled statement: the same user, the same checks as Django's."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib import auth as django_auth
from django.contrib.auth import HASH_SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from vigil.accounts import authentication
from vigil.accounts.models import Role, User

MIDDLEWARE = "vigil.accounts.authentication.AuthenticationMiddleware"


def _session_key(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


def _request(key: str | None) -> Any:
    request = RequestFactory().get("/")
    request.session = import_module(django_settings.SESSION_ENGINE).SessionStore(key)
    return request


def _seen(user: Any) -> Any:
    """What a user is, field by field (and how the ORM left it)."""
    if isinstance(user, AnonymousUser):
        return "anonymous"
    fields = {k: v for k, v in vars(user).items() if k != "_state"}
    return type(user), fields, user._state.db, user._state.adding


def _both(key_of: Callable[[], str | None]) -> tuple[Any, Any, Any, Any]:
    """Django's ``get_user`` and Vigil's, each on its own fresh session from ``key_of``; what
    each found and what each left of its session (its key: None when flushed)."""
    theirs = _request(key_of())
    django_user = django_auth.get_user(theirs)
    ours = _request(key_of())
    vigil_user = authentication.get_user(ours)
    return (
        _seen(django_user),
        _seen(vigil_user),
        theirs.session.session_key is None,
        ours.session.session_key is None,
    )


@pytest.fixture
def member(make_user) -> User:
    return make_user("fictional-member", Role.ANALYST)


def test_the_middleware_in_the_settings_is_vigils_and_a_subclass_of_djangos():
    from django.contrib.auth.middleware import AuthenticationMiddleware

    assert MIDDLEWARE in django_settings.MIDDLEWARE
    assert "django.contrib.auth.middleware.AuthenticationMiddleware" not in (
        django_settings.MIDDLEWARE
    )
    assert issubclass(authentication.AuthenticationMiddleware, AuthenticationMiddleware)


def test_a_signed_in_session_finds_the_same_user_as_djangos_get_user(member):
    keys = [_session_key(member), _session_key(member)]
    django_user, vigil_user, _, _ = _both(keys.pop)
    assert vigil_user != "anonymous"
    assert vigil_user == django_user


def test_a_deactivated_user_is_refused_as_django_refuses_them(member):
    keys = [_session_key(member), _session_key(member)]
    User.objects.filter(pk=member.pk).update(is_active=False)
    found = _both(keys.pop)
    assert found == ("anonymous", "anonymous", False, False)


def test_a_deleted_user_is_refused_as_django_refuses_them(member):
    keys = [_session_key(member), _session_key(member)]
    User.objects.filter(pk=member.pk).delete()
    assert _both(keys.pop)[:2] == ("anonymous", "anonymous")


def test_a_changed_password_flushes_the_session_as_django_does(member):
    keys = [_session_key(member), _session_key(member)]
    member.set_password("fictional another long passphrase")
    member.save()
    assert _both(keys.pop) == ("anonymous", "anonymous", True, True)


def test_a_session_without_its_hash_is_flushed_as_django_does(member):
    keys = []
    for _ in range(2):
        request = _request(_session_key(member))
        del request.session[HASH_SESSION_KEY]
        request.session.save()
        keys.append(request.session.session_key)
    assert _both(keys.pop) == ("anonymous", "anonymous", True, True)


def test_a_backend_not_in_the_settings_signs_nobody_in(member, settings):
    keys = [_session_key(member), _session_key(member)]
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.AllowAllUsersModelBackend"]
    assert _both(keys.pop)[:2] == ("anonymous", "anonymous")


def test_no_session_is_anonymous_for_both():
    assert _both(lambda: None) == ("anonymous", "anonymous", True, True)


def test_a_session_signed_under_a_fallback_secret_is_rotated_as_django_does(member, settings):
    old = settings.SECRET_KEY
    keys = [_session_key(member), _session_key(member)]
    settings.SECRET_KEY = "fictional-new-secret-key-" + "x" * 40
    settings.SECRET_KEY_FALLBACKS = [old]
    theirs, ours = _request(keys.pop()), _request(keys.pop())
    before = (theirs.session.session_key, ours.session.session_key)
    assert _seen(django_auth.get_user(theirs)) == _seen(authentication.get_user(ours))
    assert _seen(authentication.get_user(_request(None))) == "anonymous"
    # Both rotated the session's key and wrote the new secret's hash.
    assert theirs.session.session_key != before[0]
    assert ours.session.session_key != before[1]
    assert ours.session[HASH_SESSION_KEY] == theirs.session[HASH_SESSION_KEY]


def test_another_backend_reads_its_user_its_own_way(member):
    class Counting(ModelBackend):
        calls = 0

        def get_user(self, user_id: Any) -> Any:
            Counting.calls += 1
            return super().get_user(user_id)

    assert authentication.backend_user(Counting(), member.pk) == member
    assert Counting.calls == 1
    assert authentication.backend_user(ModelBackend(), member.pk) == member
    assert Counting.calls == 1


def test_the_user_is_read_in_one_query_through_the_compiled_statement(member):
    request = _request(_session_key(member))
    assert request.session[HASH_SESSION_KEY]  # the session read before
    with CaptureQueriesContext(connection) as captured:
        user = authentication.get_user(request)
    assert user.pk == member.pk
    assert len(captured.captured_queries) == 1
    assert "accounts_user" in captured.captured_queries[0]["sql"]


def test_the_middleware_gives_the_request_its_user_and_refuses_it_on_the_next_request(member):
    key = _session_key(member)
    middleware = authentication.AuthenticationMiddleware(lambda request: HttpResponse())
    first = _request(key)
    middleware.process_request(first)
    assert first.user.is_authenticated
    assert first.user.pk == member.pk
    User.objects.filter(pk=member.pk).update(is_active=False)
    second = _request(key)
    middleware.process_request(second)
    assert not second.user.is_authenticated
