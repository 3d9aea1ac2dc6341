"""Fixtures for merging from the web: users per role and two fictional duplicate records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from vigil.accounts.models import User
from vigil.accounts.testing import login_verified
from vigil.core.context import ChangeContext
from vigil.records.models import Act, Event, Information, Person, PersonName, Source, Term


@dataclass
class Duplicates:
    """One fictional defender recorded twice, in Latin and in Cyrillic, with an act each."""

    latin: Person
    cyrillic: Person
    latin_act: Act
    cyrillic_act: Act
    source: Source


@pytest.fixture(autouse=True)
def merge_urls(settings: Any) -> None:
    """Mount the merge pages as the lead will."""
    settings.ROOT_URLCONF = "tests.web.merging.urls"


@pytest.fixture(autouse=True)
def fast_password_hashing(fast_password_hashing: None) -> None:
    """Argon2 is deliberately slow; these tests are not about hashing."""


def client_for(user: User) -> Client:
    """A test client signed in as ``user``, second factor passed."""
    return login_verified(Client(), user)


def person(name: str, script: str, lang: str, *, born: int = 1975, **extra: Any) -> Person:
    found = Person(
        display_name=name,
        birth_date=dt.date(born, 1, 1),
        birth_date_precision="year",
        is_synthetic=True,
        **extra,
    )
    found.save()
    PersonName(person=found, value=name, script=script, lang=lang, is_primary=True).save()
    return found


def make_duplicates(**extra: Any) -> Duplicates:
    """Create the two records; call inside a change context."""
    latin = person("Zmitser Testovich", "Latn", "en", **extra)
    cyrillic = person("Змітцер Тэставіч", "Cyrl", "be", **extra)
    event = Event(title="Fictional arrest of a fictional defender", date=dt.date(2021, 3, 1))
    event.save()
    acts = []
    for victim, key in ((latin, "arrest"), (cyrillic, "sentence")):
        act = Act(event=event, act_type_id=Term.pk_for("act_type", key), victim_person=victim)
        act.save()
        acts.append(act)
    source = Source(title="Fictional monitoring report")
    source.save()
    Information(
        source=source,
        target_type=ContentType.objects.get_for_model(Person),
        target_id=cyrillic.pk,
    ).save()
    return Duplicates(latin, cyrillic, acts[0], acts[1], source)


@pytest.fixture
def dups(ctx: ChangeContext) -> Duplicates:
    """The two fictional duplicates, internal, created by no user."""
    return make_duplicates()
