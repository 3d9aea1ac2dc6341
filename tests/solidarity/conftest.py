"""A fictional case with a court, a judge and a prosecutor; users of every role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from tests.conftest import term
from vigil.accounts.models import User
from vigil.core.context import change_context
from vigil.records.models import Act, Case, Event, Involvement, Organisation, Person


@dataclass
class World:
    case: Case
    hidden_case: Case
    defendant: Person
    judge: Person
    prosecutor: Person
    court: Organisation
    users: dict[str, User]


@pytest.fixture
def world(users: dict[str, User]) -> World:
    with change_context("test", detail="fixture"):
        defendant = Person.objects.create(display_name="Fictional Defendia Testovna")
        judge = Person.objects.create(display_name="Fictional Judex Exemplarov")
        prosecutor = Person.objects.create(display_name="Fictional Accusator Probov")
        court = Organisation.objects.create(
            display_name="Fictional District Court", kind_id=term("organisation_kind", "court")
        )
        event = Event.objects.create(title="Fictional trial", date=dt.date(2026, 1, 10))
        act = Act.objects.create(
            event=event,
            act_type_id=term("act_type", "trial"),
            victim_person=defendant,
            date=dt.date(2026, 1, 10),
        )
        Involvement.objects.create(
            act=act, perpetrator_person=judge, role_id=term("perpetrator_role", "judge")
        )
        Involvement.objects.create(
            act=act, perpetrator_person=prosecutor, role_id=term("perpetrator_role", "prosecutor")
        )
        case = Case.objects.create(title="Fictional case of Defendia Testovna")
        case.persons.add(defendant)
        case.events.add(event)
        hidden = Case.objects.create(
            title="Fictional hidden case Canarycase", confidentiality="secret"
        )
    return World(case, hidden, defendant, judge, prosecutor, court, users)
