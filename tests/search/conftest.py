"""Fixtures for search: a visibly fictional person with names in three scripts, and users."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from vigil.accounts.testing import login_verified
from vigil.core.context import change_context
from vigil.records.models import Person, PersonName

PASSWORD = "fictional-pass-Phrase-42"  # noqa: S105 - test-only credential


@dataclass
class Testavy:
    """Ales Testavy, a fictional defender, and the names he is recorded under."""

    person: Person
    belarusian: PersonName
    russian: PersonName


def add_name(person: Person, value: str, **fields: object) -> PersonName:
    """Store one more name of ``person``; call inside a change context."""
    return PersonName.objects.create(person=person, value=value, **fields)


@pytest.fixture
def testavy(db: None) -> Testavy:
    """The fictional person, with a namesake-free neighbour so a search has something to skip."""
    with change_context("test", detail="search fixture"):
        person = Person.objects.create(display_name="Ales Testavy", is_synthetic=True)
        belarusian = add_name(person, "Алесь Тэставы", script="Cyrl", lang="be")
        russian = add_name(person, "Алесь Тестовый", script="Cyrl", lang="ru")
        Person.objects.create(display_name="Iryna Kvitkovaja-Fictiva", is_synthetic=True)
    return Testavy(person, belarusian, russian)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    """Argon2 is deliberately slow; these tests are not about hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def viewer(django_user_model):  # type: ignore[no-untyped-def]
    """A user with the viewer role: internal records only."""
    return django_user_model.objects.create_user(username="fictional-viewer", password=PASSWORD)


@pytest.fixture
def admin_user(django_user_model):  # type: ignore[no-untyped-def]
    """An administrator: every level."""
    return django_user_model.objects.create_superuser(
        username="fictional-admin", password=PASSWORD, email="admin@example.org", role="admin"
    )


@pytest.fixture
def viewer_client(viewer):  # type: ignore[no-untyped-def]
    """A client signed in (with 2FA) as the viewer."""
    return login_verified(Client(), viewer)


@pytest.fixture
def admin_client(admin_user):  # type: ignore[no-untyped-def]
    """A client signed in (with 2FA) as the administrator."""
    return login_verified(Client(), admin_user)
