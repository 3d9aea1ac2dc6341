"""Fixtures for the web UI: signed-in users and a small, visibly fictional case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType

from tests.conftest import term
from tests.module_data import built_once, refreshed
from vigil.core.context import change_context
from vigil.records.models import (
    Act,
    ActCharge,
    Event,
    ExternalId,
    Information,
    Involvement,
    LegalProvision,
    Organisation,
    Participant,
    Person,
    PersonName,
    Source,
)


@dataclass
class FictionalCase:
    """A fictional prisoner, the judge who sentenced her, and what supports it."""

    victim: Person
    judge: Person
    lawyer: Person
    arrest: Act
    sentence: Act
    appeal: Act
    event: Event
    act_source: Source
    event_source: Source
    person_source: Source


def cite(source: Source, target: object, quote: str = "") -> Information:
    return Information.objects.create(
        source=source,
        target_type=ContentType.objects.get_for_model(type(target)),
        target_id=target.pk,
        quote=quote,
    )


def make_case() -> FictionalCase:
    """Create the fictional case; call inside a change context."""
    victim = Person.objects.create(
        display_name="Testa Fictionalia",
        sex="female",
        birth_date=dt.date(1980, 1, 1),
        birth_date_precision="year",
        notes="Fictional person made for the web UI tests.",
        is_synthetic=True,
    )
    PersonName.objects.create(
        person=victim,
        value="Testa Fictionalia",
        script="Latn",
        lang="en",
        kind="official",
        is_primary=True,
        normalised="testa fictionalia",
    )
    PersonName.objects.create(
        person=victim,
        value="Тэста Фіктыўная",
        script="Cyrl",
        lang="be",
        kind="official",
        normalised="тэста фіктыўная",
    )
    ExternalId.objects.create(
        person=victim, scheme="viasna", value="fictional-0001", status="active"
    )
    ExternalId.objects.create(
        person=victim, scheme="viasna-url", value="https://example.org/fictional-0001"
    )
    judge = Person.objects.create(display_name="Iudex Fictus", is_synthetic=True)
    lawyer = Person.objects.create(display_name="Advocata Imaginaria", is_synthetic=True)
    colony = Organisation.objects.create(
        display_name="Fictional Penal Colony No. 0", kind_id=term("organisation_kind", "prison")
    )
    event = Event.objects.create(
        title="Fictional prosecution of Testa Fictionalia", date=dt.date(2020, 8, 10)
    )
    arrest = Act.objects.create(
        event=event,
        act_type_id=term("act_type", "arrest"),
        victim_person=victim,
        date=dt.date(2020, 8, 10),
    )
    sentence = Act.objects.create(
        event=event,
        act_type_id=term("act_type", "sentence"),
        victim_person=victim,
        date=dt.date(2021, 3, 1),
        place=colony,
        sentence_months=Decimal(54),
        sentence_regime_id=term("detention_regime", "general_colony"),
        fine_amount=Decimal("100.00"),
        fine_unit="base rates",
        sentence_text="4 1/2 years",
    )
    appeal = Act.objects.create(
        event=event,
        act_type_id=term("act_type", "appeal_decision"),
        victim_person=victim,
        date=dt.date(2021, 6, 1),
        date_precision="month",
    )
    provision = LegalProvision.objects.create(code="criminal", article="342", part="1")
    ActCharge.objects.create(
        act=sentence,
        provision=provision,
        inchoate="attempt",
        text_as_written="Part 1 of Art. 342 (fictional wording)",
    )
    Involvement.objects.create(
        act=sentence, perpetrator_person=judge, role_id=term("perpetrator_role", "judge")
    )
    Participant.objects.create(
        act=sentence, person=lawyer, name_text="Advocata Imaginaria", stated_role="counsel"
    )
    act_source = Source.objects.create(title="Fictional court record", url="https://example.org/c")
    event_source = Source.objects.create(title="Fictional monitoring page")
    person_source = Source.objects.create(title="Fictional profile page")
    cite(act_source, sentence, quote="Sentenced to a fictional term.")
    cite(event_source, event)
    cite(person_source, victim)
    return FictionalCase(
        victim,
        judge,
        lawyer,
        arrest,
        sentence,
        appeal,
        event,
        act_source,
        event_source,
        person_source,
    )


@pytest.fixture(scope="module")
def _fictional_case_once(django_db_setup: None, django_db_blocker: Any) -> Iterator[FictionalCase]:
    """The fictional case, written once per module (tests/module_data.py: every test runs in a
    savepoint of the module's transaction, so what a test changes is undone after it)."""
    with built_once(django_db_blocker), change_context("test", detail="web fixture"):
        yield make_case()


@pytest.fixture
def fictional_case(_fictional_case_once: FictionalCase, db: None) -> FictionalCase:
    """The fictional case as stored now (re-read: an earlier test may have changed the objects
    it held in memory, never the rows)."""
    stored = (refreshed(getattr(_fictional_case_once, f.name)) for f in fields(FictionalCase))
    return FictionalCase(*stored)


@pytest.fixture(autouse=True)
def fast_password_hashing(fast_password_hashing: None) -> None:
    """Argon2 is deliberately slow; these tests are not about hashing."""
