"""Fixtures for search: a visibly fictional person with names in three scripts, and users."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from vigil.core.context import change_context
from vigil.records.models import Person, PersonName


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
def fast_password_hashing(fast_password_hashing: None) -> None:
    """Argon2 is deliberately slow; these tests are not about hashing."""
