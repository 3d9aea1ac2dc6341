"""Requirement 5: Argon2id, at least 12 characters, common passwords refused, no composition."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.accounts.testing import login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def hashers() -> None:
    """Keep the project's real hashers (Argon2id) for these tests."""


def test_req5_passwords_are_hashed_with_argon2id(user, password):
    assert user.password.startswith("argon2$argon2id$")
    assert password not in user.password
    assert user.check_password(password)


def test_req5_password_shorter_than_12_characters_is_refused():
    with pytest.raises(ValidationError, match="at least 12"):
        validate_password("Sh0rt-Pass!")


@pytest.mark.parametrize("common", ["password1234", "qwertyuiop123", "123456789123"])
def test_req5_common_passwords_are_refused_even_when_long_enough(common):
    with pytest.raises(ValidationError, match="too common"):
        validate_password(common)


def test_req5_long_passphrase_with_spaces_and_cyrillic_is_accepted(make_user):
    user = make_user("fictional-documenter")
    phrase = "вецер над Нёманам і seven quiet owls fly home before the late rain " * 2
    assert len(phrase) > 64
    validate_password(phrase, user)
    user.set_password(phrase)
    assert user.check_password(phrase)


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=20, max_size=120))
def test_req5_no_composition_rules_any_long_lowercase_phrase_is_accepted(phrase):
    if phrase.strip() and len(set(phrase)) > 3:
        validate_password(phrase)


def test_req5_argon2_hash_round_trips_a_very_long_passphrase():
    phrase = "fictional " * 50
    encoded = make_password(phrase)
    assert encoded.startswith("argon2$argon2id$")
    assert check_password(phrase, encoded)
    assert not check_password(phrase + "x", encoded)


def test_req5_password_change_page_refuses_a_short_password(client, user, device, password):
    login_verified(client, user)
    response = client.post(
        "/accounts/password/",
        {"old_password": password, "new_password1": "tooshort1", "new_password2": "tooshort1"},
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(password)
