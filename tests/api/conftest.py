"""A small, visibly fictional world, one user and API token per role, and the API mounted."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import make_user, term
from tests.module_data import built_once, refreshed
from tests.record_acts import act_of
from vigil.accounts.models import User
from vigil.accounts.tokens import create_token
from vigil.core.context import change_context
from vigil.policy.rules import ROLES
from vigil.records.models import (
    Act,
    ActCharge,
    Event,
    Intervention,
    Involvement,
    LegalProvision,
    Organisation,
    Person,
    PersonName,
    Profession,
)
from vigil.responses.forums import record_position
from vigil.sanctions.models import ListedEntity, SanctionsList, ScreeningMatch


@dataclass
class World:
    """Records of the fictional world; ``hidden_*`` are restricted with no grant to anyone."""

    lawyer: Person
    judge: Person
    prosecutor: Person
    hidden_lawyer: Person
    hidden_alias: PersonName
    arrest: Act
    sentence: Act
    hidden_arrest: Act
    appeal_to_un: Intervention
    hidden_appeal: Intervention
    state_speaking: Organisation
    state_silent: Organisation
    candidate: ScreeningMatch
    hidden_candidate: ScreeningMatch


def _person(name: str, level: str = "internal") -> Person:
    person = Person(display_name=name, confidentiality=level)
    person.save()
    PersonName(
        person=person, value=name, script="Latn", lang="en", is_primary=True, confidentiality=level
    ).save()
    return person


def _candidate(person: Person, entity_id: str, level: str) -> ScreeningMatch:
    lst, _ = SanctionsList.objects.get_or_create(
        name="fictional-list",
        defaults={
            "kind": "ftm",
            "issuer": "EU",
            "imported_at": timezone.now(),
            "version_date": dt.date.today(),
        },
    )
    entity = ListedEntity.objects.create(
        sanctions_list=lst,
        entity_id=entity_id,
        schema="Person",
        caption=f"{person.display_name} (fictional listing)",
        positions=["Fictional judge of a fictional court"],
        fingerprint="fictional",
    )
    match = ScreeningMatch(
        person=person,
        listed_entity=entity,
        score=0.91,
        query_name=person.display_name,
        matched_name=entity.caption,
        explanation="fictional candidate",
        confidentiality=level,
    )
    match.save()
    return match


def build_world() -> World:
    """Create the fictional world (call inside a change context)."""
    lawyer = _person("Fictionala Advocatka")
    hidden_alias = PersonName(
        person=lawyer, value="Secret Alias Fictionalovna", confidentiality="restricted"
    )
    hidden_alias.save()
    Profession(person=lawyer, profession_id=term("profession", "lawyer")).save()
    judge = _person("Iudex Fictus")
    prosecutor = _person("Accusator Secretus", "restricted")
    event = Event(title="Fictional prosecution of Fictionala Advocatka", date=dt.date(2021, 1, 10))
    event.save()
    arrest = act_of(lawyer, "arrest", dt.date(2021, 1, 10), event=event)
    sentence = act_of(
        lawyer,
        "sentence",
        dt.date(2021, 6, 1),
        event=event,
        sentence_months=Decimal(72),
        sentence_regime_id=term("detention_regime", "general_colony"),
        sentence_text="6 years (fictional)",
    )
    provision = LegalProvision(code="criminal", article="361-1", part="2")
    provision.save()
    ActCharge(act=sentence, provision=provision, text_as_written="Fictional wording").save()
    Involvement(
        act=sentence, perpetrator_person=judge, role_id=term("perpetrator_role", "judge")
    ).save()
    Involvement(
        act=sentence,
        perpetrator_person=prosecutor,
        role_id=term("perpetrator_role", "prosecutor"),
        confidentiality="restricted",
    ).save()

    hidden_lawyer = _person("Restricta Fictionalis", "restricted")
    Profession(
        person=hidden_lawyer,
        profession_id=term("profession", "lawyer"),
        confidentiality="restricted",
    ).save()
    hidden_event = Event(title="Fictional hidden event", confidentiality="restricted")
    hidden_event.save()
    hidden_arrest = act_of(
        hidden_lawyer, "arrest", dt.date(2022, 3, 3), "restricted", event=hidden_event
    )

    appeal_to_un = Intervention(
        intervention_type_id=term("intervention_type", "urgent_appeal"),
        title="Fictional urgent appeal for Fictionala Advocatka",
        reference="FICT/UA/1",
        date=dt.date(2021, 7, 1),
    )
    appeal_to_un.save()
    appeal_to_un.persons.add(lawyer)
    hidden_appeal = Intervention(
        intervention_type_id=term("intervention_type", "urgent_appeal"),
        title="Fictional hidden appeal",
        reference="FICT/UA/2",
        confidentiality="restricted",
    )
    hidden_appeal.save()
    hidden_appeal.persons.add(hidden_lawyer)

    government = term("organisation_kind", "foreign_government")
    state_speaking = Organisation(
        display_name="Fictional Republic of Exampleland", kind_id=government
    )
    state_speaking.save()
    state_silent = Organisation(display_name="Fictional Kingdom of Nowhere", kind_id=government)
    state_silent.save()
    record_position(state_speaking, "hrc", "statement", topic="lawyers")
    hidden_position = record_position(state_silent, "hrc", "statement", topic="lawyers")
    hidden_position.confidentiality = "restricted"
    hidden_position.save()

    return World(
        lawyer=lawyer,
        judge=judge,
        prosecutor=prosecutor,
        hidden_lawyer=hidden_lawyer,
        hidden_alias=hidden_alias,
        arrest=arrest,
        sentence=sentence,
        hidden_arrest=hidden_arrest,
        appeal_to_un=appeal_to_un,
        hidden_appeal=hidden_appeal,
        state_speaking=state_speaking,
        state_silent=state_silent,
        candidate=_candidate(judge, "FICT-1", "internal"),
        hidden_candidate=_candidate(prosecutor, "FICT-2", "restricted"),
    )


@pytest.fixture(scope="module")
def _api_once(
    django_db_setup: None, django_db_blocker: Any
) -> Iterator[tuple[dict[str, User], dict[str, str], World]]:
    """The users (one per role), their API tokens and the fictional world, written once per
    module (tests/module_data.py: each test runs in a savepoint of the module's transaction, so
    what it changes is undone after it)."""
    with built_once(django_db_blocker):
        made = {role: make_user(role, f"fictional-api-{role}") for role in ROLES}
        raw = {role: create_token(user, "fictional test token")[1] for role, user in made.items()}
        with change_context("test", actor=made["admin"], detail="api fixture"):
            yield made, raw, build_world()


@pytest.fixture
def users(_api_once: tuple[dict[str, User], dict[str, str], World], db: None) -> dict[str, User]:
    """One user per role, as stored now (``fictional-api-<role>``)."""
    return {role: refreshed(user) for role, user in _api_once[0].items()}


@pytest.fixture
def tokens(_api_once: tuple[dict[str, User], dict[str, str], World]) -> dict[str, str]:
    """A raw API token per role."""
    return dict(_api_once[1])


@pytest.fixture
def world(_api_once: tuple[dict[str, User], dict[str, str], World], db: None) -> World:
    """The fictional world, created by the admin under a test context, as stored now."""
    return World(*(refreshed(getattr(_api_once[2], f.name)) for f in fields(World)))


class Api:
    """A test client that speaks JSON to the API with one role's token."""

    def __init__(self, client: Client, tokens: dict[str, str]) -> None:
        self.client = client
        self.tokens = tokens

    def call(
        self, method: str, path: str, role: str | None = "admin", body: Any = None, **query: Any
    ) -> Any:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}
        send = getattr(self.client, method.lower())
        if body is None:
            return send(f"/api{path}", data=query or None, headers=headers)
        raw = body if isinstance(body, str | bytes) else json.dumps(body, default=str)
        return send(f"/api{path}", data=raw, content_type="application/json", headers=headers)

    def get(self, path: str, role: str | None = "admin", **query: Any) -> Any:
        return self.call("GET", path, role, **query)


@pytest.fixture
def api(client: Client, tokens: dict[str, str]) -> Api:
    """The API client."""
    return Api(client, tokens)
