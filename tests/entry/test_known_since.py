"""Every act carries the date the organisation learned it: entered by hand, the day of entry."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from vigil.core.context import change_context
from vigil.records.date_input import parse_date_input
from vigil.records.entry import ArrestInput, PersonRef, TrialInput, record_arrest, record_trial
from vigil.records.models import Act, Event, Person, Term

pytestmark = pytest.mark.django_db


def test_an_arrest_entered_by_hand_is_known_from_the_day_of_entry(documenter):
    data = ArrestInput(victim=PersonRef.named("Ales Testavy"), date=parse_date_input("2021"))
    with change_context("test", actor=documenter):
        recorded = record_arrest(documenter, data)
    assert recorded.acts
    for act in recorded.acts:
        act.refresh_from_db()
        assert act.known_since == timezone.localdate()
        assert act.known_since_assumed is False


def test_a_trial_entered_later_keeps_the_date_the_organisation_gave(documenter):
    learned = dt.date(2022, 2, 3)
    data = TrialInput(
        victim=PersonRef.named("Ales Testavy"),
        date=parse_date_input("24.11.2021"),
        judge=PersonRef.named("Iudex Testovy"),
        known_since=learned,
    )
    with change_context("test", actor=documenter):
        recorded = record_trial(documenter, data)
    assert {Act.objects.get(pk=a.pk).known_since for a in recorded.acts} == {learned}


def test_the_migration_backfills_older_acts_with_their_own_date_flagged_assumed():
    with change_context("test"):
        victim = Person(display_name="Fictional Backfilled")
        victim.save()
        event = Event(title="Fictional event", date=dt.date(2019, 5, 6))
        event.save()
        act = Act(
            event=event,
            act_type_id=Term.pk_for("act_type", "search"),
            victim_person=victim,
            date=dt.date(2019, 5, 6),
        )
        act.save()
    assert act.known_since is None
    migration = importlib.import_module("vigil.records.migrations.0006_act_known_since")
    migration.backfill_known_since(apps, None)
    act.refresh_from_db()
    assert act.known_since == dt.date(2019, 5, 6)
    assert act.known_since_assumed is True


def test_demo_and_synthetic_acts_are_known_from_their_own_date_flagged_assumed():
    from vigil.demo import synthetic
    from vigil.demo.seed_loader import load_seed_facts_into_record

    with change_context("test"):
        load_seed_facts_into_record()
        synthetic.generate(5)
    acts = list(Act.objects.all())
    assert len(acts) > 10
    assert all(a.known_since == a.date and a.known_since_assumed for a in acts)
