"""Requirement 7: an unknown user name costs the same password-hashing time as a known one."""

from __future__ import annotations

import statistics
import time

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def hashers() -> None:
    """Keep the project's real hashers (Argon2id): timing is the point here."""


def median_seconds(username: str, rounds: int = 3) -> float:
    request = RequestFactory().post("/accounts/login/")
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        assert authenticate(request, username=username, password="fictional wrong one") is None
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def test_req7_unknown_and_known_user_names_take_similar_time(user):
    known = median_seconds(user.username)
    unknown = median_seconds("fictional-nobody-at-all")
    assert 0.5 < unknown / known < 2.0
