"""Webhook signatures a receiver can verify (and replays it can reject); VIGIL_EMAIL_URL."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from vigil.alerts.email_url import parse_email_url
from vigil.alerts.signing import sign, verify
from vigil.core.errors import ConfigurationError

SECRET = "fictional-secret-0123456789"
BODY = b'{"event":"act.created"}'


def test_signature_is_hmac_sha256_of_timestamp_dot_body_in_hex():
    expected = hmac.new(SECRET.encode(), b"1700000000." + BODY, hashlib.sha256).hexdigest()
    assert sign(SECRET, 1700000000, BODY) == f"sha256={expected}"


def test_verify_accepts_a_fresh_signature_and_rejects_tampering_and_replays():
    signature = sign(SECRET, 1700000000, BODY)
    assert verify(SECRET, "1700000000", BODY, signature, now=1700000010)
    assert not verify(SECRET, "1700000000", BODY + b" ", signature, now=1700000010)
    assert not verify(SECRET, "1700000001", BODY, signature, now=1700000010)  # moved timestamp
    assert not verify(SECRET, "1700000000", BODY, signature, now=1700000000 + 301)  # replay
    assert not verify(SECRET, "yesterday", BODY, signature, now=1700000010)


def test_email_url_schemes_ports_and_credentials():
    plain = parse_email_url("smtp://127.0.0.1:2525")
    assert (plain.host, plain.port, plain.use_ssl, plain.use_tls) == (
        "127.0.0.1",
        2525,
        False,
        False,
    )
    tls = parse_email_url("smtps://fictional%40org:p%3Ass@mail.example.org")
    assert (tls.port, tls.use_ssl, tls.username, tls.password) == (
        465,
        True,
        "fictional@org",
        "p:ss",
    )
    assert parse_email_url("smtp+starttls://mail.example.org").port == 587
    assert parse_email_url("smtp+starttls://mail.example.org").use_tls


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("", "not configured"),
        ("http://mail.example.org", "must start with smtp"),
        ("smtp://mail.example.org:twenty", "not a number"),
        ("smtp://:25", "no host"),
    ],
)
def test_bad_email_url_is_a_configuration_error_saying_why(url, reason):
    with pytest.raises(ConfigurationError, match=reason):
        parse_email_url(url)
