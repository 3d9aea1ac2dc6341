"""Fixtures for the entry forms: users of each role, signed-in clients, fictional persons."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import PASSWORD, make_user
from vigil.accounts.testing import login_verified
from vigil.core.context import change_context
from vigil.records.models import Person, PersonName


@pytest.fixture(autouse=True)
def fast_password_hashing(fast_password_hashing: None) -> None:
    """Argon2 is deliberately slow; these tests are not about hashing."""


@pytest.fixture
def documenter(db: Any) -> Any:
    return make_user("documenter", password=PASSWORD)


@pytest.fixture
def other_documenter(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user(
        username="fictional-documenter-2", password=PASSWORD, role="documenter"
    )


@pytest.fixture
def coordinator(db: Any) -> Any:
    return make_user("coordinator", password=PASSWORD)


@pytest.fixture
def documenter_client(client: Any, documenter: Any) -> Any:
    login_verified(client, documenter)
    return client


def make_person(latin: str, *others: str, level: str = "internal", actor: Any = None) -> Person:
    """A fictional person with a Latin name and other spellings, saved at ``level``."""
    with change_context("test", actor=actor, detail="entry fixture"):
        person = Person(display_name=latin, confidentiality=level, is_synthetic=True)
        person.save()
        for i, value in enumerate((latin, *others)):
            PersonName(person=person, value=value, is_primary=i == 0, confidentiality=level).save()
    return person


@pytest.fixture
def testavy(db: None) -> Person:
    """A visibly fictional person named in Latin and Belarusian Cyrillic."""
    return make_person("Ales Testavy", "Алесь Тэставы")
