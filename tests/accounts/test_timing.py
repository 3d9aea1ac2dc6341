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


def cpu_seconds(username: str) -> float:
    """The CPU one failed sign-in costs this process: the hashing's work, not the machine's
    other load (a wall clock measured under a parallel test run reads the other worker's
    bursts; an unknown name that skipped the hashing would cost next to nothing either way)."""
    request = RequestFactory().post("/accounts/login/")
    start = time.process_time()
    assert authenticate(request, username=username, password="fictional wrong one") is None
    return time.process_time() - start


@pytest.mark.slow  # ~1.8 s a run on a quiet 2-core machine
def test_req7_unknown_and_known_user_names_take_similar_time(user):
    known, unknown = [], []
    for _ in range(5):  # interleaved: both names see the same state of the process
        known.append(cpu_seconds(user.username))
        unknown.append(cpu_seconds("fictional-nobody-at-all"))
    assert 0.5 < statistics.median(unknown) / statistics.median(known) < 2.0
