"""The demo's fictional at-risk scenario: fictional, flagged persons linked to nothing real,
written through the domain (history, register, scores, alerts, protection), shown on /risk/."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType

from vigil.alerts.models import Notification
from vigil.core.context import change_context
from vigil.core.models import Version
from vigil.demo.scenario import ROLES, SOURCE_TITLE, load_scenario
from vigil.demo.seed_loader import load_seed_facts_into_record
from vigil.demo.synthetic import NOTE
from vigil.names.fictional import fictional_names
from vigil.protection.models import FundGrant, ProtectionAction, ProtectionCase
from vigil.records.models import (
    Act,
    Counsel,
    Information,
    Involvement,
    Person,
    PersonName,
    Profession,
    Source,
)
from vigil.warning.models import ModelFit, RiskScore, WatchedPerson

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(admin_user: Any) -> Any:
    with change_context("test", detail="demo scenario"):
        load_seed_facts_into_record()
        real = set(Person.objects.values_list("pk", flat=True))
        result = load_scenario(admin_user)
    return result, real


def _fictional(name: str) -> bool:
    """A name made of the fictional list's parts: a given name, then a stem and an ending."""
    names = fictional_names()
    given, _, surname = name.partition(" ")
    if given not in {g[0] for g in names.given_male + names.given_female}:
        return False
    endings = {e[0] for e in names.endings} | {e[2] for e in names.endings}
    return any(surname == stem[0] + ending for stem in names.stems for ending in endings)


def test_the_scenario_persons_are_synthetic_fictional_named_and_linked_to_no_real_record(
    scenario: Any,
) -> None:
    result, real = scenario
    persons = Person.all_objects.filter(pk__in=[p.pk for p in result.persons])
    assert persons.count() == len(ROLES) >= 5
    real_names = set(PersonName.all_objects.filter(person__in=real).values_list("value", flat=True))
    for person in persons:
        assert person.is_synthetic and person.notes == NOTE
        assert _fictional(person.display_name), person.display_name
        assert person.display_name not in real_names
        assert all(n.is_synthetic for n in PersonName.all_objects.filter(person=person))
    ids = [p.pk for p in result.persons]
    acts = Act.all_objects.filter(victim_person__in=ids)
    assert acts.count() == result.acts and all(a.is_synthetic for a in acts)
    assert all(a.event.is_synthetic for a in acts)
    # Nothing real is linked: no real perpetrator or counsel, only fictional bar associations,
    # and every claim cites the scenario's own fictional source, never a seed article.
    assert not Involvement.all_objects.filter(act__in=acts).exists()
    assert not Counsel.all_objects.filter(act__in=acts).exists()
    assert not Counsel.all_objects.filter(lawyer__in=ids).exists()
    for profession in Profession.all_objects.filter(person__in=ids):
        assert profession.is_synthetic
        assert profession.bar_association is None or profession.bar_association.is_synthetic
    person_ct = ContentType.objects.get_for_model(Person)
    cited = Information.all_objects.filter(target_type=person_ct, target_id__in=ids)
    assert cited.count() == len(ids)
    assert {i.source.title for i in cited} == {SOURCE_TITLE}
    assert Source.all_objects.get(title=SOURCE_TITLE).is_synthetic
    assert not Information.all_objects.filter(target_id__in=ids, source__is_synthetic=False)
    assert not set(ids) & real


def test_the_scenario_is_written_through_the_domain_with_history_register_scores_and_alerts(
    scenario: Any, admin_user: Any
) -> None:
    result, _real = scenario
    ids = [p.pk for p in result.persons]
    acts = list(Act.all_objects.filter(victim_person__in=ids).values_list("pk", flat=True))
    # Saved one by one through the policy: every person and act has its first version.
    versions = Version.objects.filter(object_id__in=ids + acts)
    assert versions.values("object_id").distinct().count() == len(ids) + len(acts)
    entries = WatchedPerson.objects.filter(person__in=ids)
    assert entries.count() == result.watched == 3
    assert set(entries.values_list("status", flat=True)) == {"watched", "relocated"}
    fit = ModelFit.objects.get()
    assert fit.data["records"] == "synthetic"
    scored = set(RiskScore.objects.filter(fit=fit).values_list("person", flat=True))
    assert scored and scored <= set(ids)
    relocated = entries.get(status="relocated").person_id
    assert relocated not in scored
    above = RiskScore.objects.filter(fit=fit, above_threshold=True).count()
    assert 0 < above < len(scored)  # the threshold separates the persons at risk
    kinds = set(Notification.objects.filter(recipient=admin_user).values_list("kind", flat=True))
    assert {"act.created", "risk.threshold"} <= kinds
    case = ProtectionCase.objects.get()
    assert case.is_synthetic and case.pseudonym == "P-0001"
    assert "Fictional demo case" in case.threats
    actions = ProtectionAction.objects.filter(case=case)
    assert actions.count() == 2 and all(a.is_synthetic for a in actions)
    grant = FundGrant.objects.get(case=case)
    assert grant.is_synthetic and grant.fund.is_synthetic


def test_the_risk_protection_and_alert_pages_show_the_scenario(
    scenario: Any, admin_client: Any
) -> None:
    result, _real = scenario
    risk = admin_client.get("/risk/").content.decode()
    assert "No scores yet" not in risk
    scored = Person.objects.filter(risk_scores__isnull=False).distinct()
    assert scored.exists()
    for person in scored:
        assert person.display_name in risk
    board = admin_client.get("/protection/").content.decode()
    assert "P-0001" in board and "badge--synthetic" in board
    case = admin_client.get(f"/protection/cases/{result.case.pk}/").content.decode()
    assert "badge--synthetic" in case
    assert result.persons[2].display_name not in board + case  # pseudonymous: no name shown
    alerts = admin_client.get("/alerts/").content.decode()
    assert f"/persons/{result.persons[2].pk}/" in alerts
