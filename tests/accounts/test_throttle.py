"""Requirement 7: at most 5 failed attempts per account and per address each minute.

Unknown and known user names get the same answers.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from vigil.accounts import throttle
from vigil.accounts.models import AuthAttempt

pytestmark = pytest.mark.django_db

WRONG = "fictional wrong passphrase"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def fail(client, username: str, times: int, addr: str = "192.0.2.10"):
    responses = []
    for _ in range(times):
        responses.append(
            client.post(
                "/accounts/login/", {"username": username, "password": WRONG}, REMOTE_ADDR=addr
            )
        )
    return responses


def test_req7_sixth_attempt_in_a_minute_is_refused_even_with_the_right_password(
    client, user, password, sign_in
):
    answers = fail(client, user.username, throttle.LIMIT)
    assert [r.status_code for r in answers] == [200] * throttle.LIMIT
    locked = sign_in(client, user, password, REMOTE_ADDR="192.0.2.99")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_req7_per_address_limit_applies_across_user_names(client, make_user, sign_in, password):
    for i in range(throttle.LIMIT):
        fail(client, f"fictional-guess-{i}", 1, addr="198.51.100.7")
    other = make_user("fictional-colleague")
    assert sign_in(client, other, password, REMOTE_ADDR="198.51.100.7").status_code == 429
    assert sign_in(client, other, password, REMOTE_ADDR="198.51.100.8").status_code == 302


def test_req7_unknown_and_known_user_names_get_identical_responses(client, user):
    known = fail(client, user.username, throttle.LIMIT + 1, addr="192.0.2.1")
    unknown = fail(client, "fictional-nobody", throttle.LIMIT + 1, addr="192.0.2.2")
    for k, u in zip(known, unknown, strict=True):
        assert k.status_code == u.status_code
        body_k = k.content.decode().replace(user.username, "NAME")
        body_u = u.content.decode().replace("fictional-nobody", "NAME")
        assert CSRF.sub("", body_k) == CSRF.sub("", body_u)
    assert known[-1].status_code == 429


def test_req7_inactive_account_gets_the_same_answer_as_a_wrong_password(
    client, make_user, password, sign_in
):
    disabled = make_user("fictional-disabled")
    disabled.is_active = False
    disabled.save()
    wrong = fail(client, "fictional-nobody", 1)[0].content.decode()
    answer = sign_in(client, disabled, password).content.decode()
    assert "did not match" in answer and "did not match" in wrong


def test_req7_failures_older_than_a_minute_no_longer_count(client, user, password, sign_in):
    fail(client, user.username, throttle.LIMIT)
    AuthAttempt.objects.update(at=AuthAttempt.objects.first().at - timedelta(seconds=61))
    assert sign_in(client, user, password).status_code == 302


def test_req7_successful_sign_ins_do_not_count_towards_the_limit(client, user, password, sign_in):
    for _ in range(throttle.LIMIT + 2):
        assert sign_in(client, user, password).status_code == 302
        client.post("/accounts/logout/")
    assert AuthAttempt.objects.count() == 0


def test_req7_throttle_stores_neither_user_name_nor_address(client, user):
    fail(client, user.username, 2, addr="203.0.113.45")
    keys = list(AuthAttempt.objects.values_list("key", flat=True))
    assert keys
    assert all(user.username not in k and "203.0.113.45" not in k for k in keys)


def test_req7_wrong_2fa_codes_count_towards_the_same_limit(
    client, user, device, password, sign_in, next_code
):
    sign_in(client, user, password)
    for _ in range(throttle.LIMIT):
        assert client.post("/accounts/2fa/", {"code": "000000"}).status_code == 200
    assert client.post("/accounts/2fa/", {"code": next_code(device)}).status_code == 429
