"""Fixtures for the responses app: visibly fictional persons, acts and interventions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType

from tests.conftest import PASSWORD, term
from tests.record_acts import act_of
from vigil.records.models import (
    Act,
    ActCharge,
    ClaimKind,
    Information,
    LegalProvision,
    Organisation,
    Person,
    Profession,
    Source,
)


def person(name: str, *professions: str, synthetic: bool = False) -> Person:
    """A fictional person (the names used in these tests are visibly invented)."""
    p = Person.objects.create(display_name=name, is_synthetic=synthetic)
    for key in professions:
        Profession.objects.create(person=p, profession_id=term("profession", key))
    return p


def state(name: str) -> Organisation:
    return Organisation.objects.create(
        display_name=name, kind_id=term("organisation_kind", "foreign_government")
    )


def cite(source: Source, target: Any, quote: str, *, reader: bool = False) -> Information:
    return Information.objects.create(
        source=source,
        target_type=ContentType.objects.get_for_model(type(target)),
        target_id=target.pk,
        quote=quote,
        claim_kind=ClaimKind.READER_COMMENT if reader else ClaimKind.SOURCE_TEXT,
    )


def charge(target: Act, article: str, text: str) -> ActCharge:
    provision, _ = LegalProvision.objects.get_or_create(
        jurisdiction="BY", code="criminal", article=article, part="", point=""
    )
    return ActCharge.objects.create(act=target, provision=provision, text_as_written=text)


def imprisonment(victim: Person, date: dt.date, months: int = 72) -> Act:
    return act_of(
        victim,
        "sentence",
        date,
        sentence_months=Decimal(months),
        sentence_regime_id=term("detention_regime", "general_colony"),
    )


@pytest.fixture(autouse=True)
def fast_password_hashing(fast_password_hashing: None) -> None:
    """Argon2 is deliberately slow; these tests are not about hashing."""


@pytest.fixture
def analyst(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user(
        username="fictional-analyst", password=PASSWORD, role="analyst"
    )


@pytest.fixture
def analyst_client(client: Any, analyst: Any) -> Any:
    from vigil.accounts.testing import login_verified

    return login_verified(client, analyst)
