"""`vigil check-record`: a record holding each kind of finding, found by the CLI and the page.

Every person here is fictional. The perpetrators are not flagged synthetic because only real
perpetrators are screened; their names are as invented as the rest.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone
from tests.conftest import PASSWORD, make_user
from tests.record_acts import act_of

from vigil.accounts.testing import login_verified
from vigil.audit.models import AuditEntry
from vigil.core.context import change_context
from vigil.core.errors import Forbidden
from vigil.records.checks import KINDS, by_kind, check_record
from vigil.records.models import (
    Event,
    Information,
    Involvement,
    Person,
    PersonName,
    Source,
    Term,
)
from vigil.sanctions.models import ListScreening, SanctionsList

D = dt.date
pytestmark = pytest.mark.usefixtures("fast_password_hashing")


@pytest.fixture
def coordinator(db: Any) -> Any:
    return make_user("coordinator", password=PASSWORD)


@pytest.fixture
def analyst(db: Any) -> Any:
    return make_user("analyst", password=PASSWORD)


def _term(vocabulary: str, key: str) -> str:
    return Term.pk_for(vocabulary, key)


def _person(name: str, *, synthetic: bool = True, **fields: Any) -> Person:
    person = Person.objects.create(display_name=name, is_synthetic=synthetic, **fields)
    PersonName.objects.create(person=person, value=name, is_primary=True)
    return person


def _cite(source: Source, target: Any) -> None:
    Information.objects.create(
        source=source,
        target_type=ContentType.objects.get_for_model(type(target)),
        target_id=target.pk,
    )


@pytest.fixture
def record(db: Any) -> SimpleNamespace:
    """One fictional record holding every kind of finding once, and a near miss of each."""
    return build_record()


def build_record() -> SimpleNamespace:
    """Write the fictional record of :func:`record` (in a change context of its own)."""
    with change_context("test", detail="check-record fixture"):
        event = Event.objects.create(title="Fictional prosecutions", date=D(2021, 3, 5))
        # Two primary names.
        twice = _person("Testa Fictionalia")
        PersonName.objects.create(person=twice, value="Тэста Фіктыўная", is_primary=True)
        # Two arrests on one date; a near miss: two arrests on different dates.
        arrested = _person("Marta Exemplaria")
        first_arrest = act_of(arrested, "arrest", D(2021, 3, 5), event=event)
        act_of(arrested, "arrest", D(2021, 3, 5), event=event)
        other = _person("Nina Provisoria")
        act_of(other, "arrest", D(2021, 3, 5), event=event)
        act_of(other, "arrest", D(2021, 4, 5), event=event)
        # A source about Dora cited by an act of Carla; Dora's own act citing it is fine.
        carla, dora = _person("Carla Imaginaria"), _person("Dora Inventa")
        page = Source.objects.create(title="Fictional page about Dora Inventa")
        _cite(page, dora)
        wrong = act_of(carla, "detention", D(2021, 3, 6), event=event)
        _cite(page, wrong)
        _cite(page, act_of(dora, "detention", D(2021, 3, 6), event=event))
        # Term ended, no release recorded: 24 months from an arrest in 2015.
        served = _person("Olga Terminata")
        act_of(served, "arrest", D(2015, 1, 10), event=event)
        act_of(
            served,
            "sentence",
            D(2015, 6, 1),
            event=event,
            sentence_months=Decimal(24),
            sentence_regime_id=_term("detention_regime", "general_colony"),
        )
        # Likely duplicates: one name, one birth date; a namesake born another year is not.
        born = {"birth_date": D(1970, 5, 5), "birth_date_precision": "day"}
        dup_a = _person("Zinaida Fabulova", **born)
        dup_b = _person("Zinaida Fabulova", **born)
        _person("Zinaida Fabulova", birth_date=D(1985, 1, 1), birth_date_precision="day")
        # A judge and a defendant who share a name are namesakes, not duplicates.
        namesake = _person("Siarhei Namesakovich", synthetic=False)
        act_of(namesake, "charge", D(2021, 3, 7), event=event)
        # Needs review.
        odd = act_of(
            _person("Vera Medicata"),
            "sentence",
            D(2021, 5, 1),
            event=event,
            review_note="penalty not read: compulsory medical measures",
        )
        # Perpetrators: one recorded before the list was loaded (never screened), one screened.
        judge = _person("Lucius Verrucosus", synthetic=False)
        screened = _person("Gaius Severus", synthetic=False)
        judge_twin = _person("Siarhei Namesakovich", synthetic=False)
        for perpetrator in (judge, screened, judge_twin):
            Involvement.objects.create(
                act=first_arrest,
                perpetrator_person=perpetrator,
                role_id=_term("perpetrator_role", "judge"),
            )
        lst = SanctionsList.objects.create(
            name="eu-765", kind="eu", issuer="EU", imported_at=timezone.now()
        )
        ListScreening.objects.create(
            person=screened,
            sanctions_list=lst,
            list_imported_at=lst.imported_at,
            screened_at=timezone.now(),
        )
        # A secret person with two primary names: hidden from a coordinator without a grant.
        secret = Person.objects.create(
            display_name="Arcana Secreta", is_synthetic=True, confidentiality="secret"
        )
        for value in ("Arcana Secreta", "Аркана Сэкрэта"):
            PersonName.objects.create(
                person=secret, value=value, is_primary=True, confidentiality="secret"
            )
    return SimpleNamespace(
        twice=twice,
        arrested=arrested,
        first_arrest=first_arrest,
        carla=carla,
        wrong=wrong,
        served=served,
        dups={dup_a.pk, dup_b.pk},
        odd=odd,
        judge=judge,
        screened=screened,
        secret=secret,
    )


def _by_kind(findings: list[Any]) -> dict[str, list[Any]]:
    return {kind: group for kind, _label, group in by_kind(findings)}


def test_each_kind_of_finding_is_found_once_with_a_link_to_its_record(record, coordinator):
    found = _by_kind(check_record(coordinator))
    assert [f.record for f in found["two_primary_names"]] == [str(record.twice.pk)]
    assert found["two_primary_names"][0].url == f"/persons/{record.twice.pk}/"
    assert [f.record for f in found["two_arrests_one_date"]] == [str(record.arrested.pk)]
    assert found["two_arrests_one_date"][0].url.endswith(f"#act-{record.first_arrest.pk}")
    assert [f.record for f in found["source_about_someone_else"]] == [str(record.wrong.pk)]
    assert "Dora Inventa" in found["source_about_someone_else"][0].detail
    assert found["source_about_someone_else"][0].url == (
        f"/persons/{record.carla.pk}/#act-{record.wrong.pk}"
    )
    assert [f.record for f in found["perpetrator_not_screened"]] == [
        str(p.pk)
        for p in sorted(
            Person.objects.filter(display_name__in=["Lucius Verrucosus", "Siarhei Namesakovich"])
            .filter(involvements__isnull=False)
            .distinct(),
            key=lambda p: p.display_name,
        )
    ]
    assert found["perpetrator_not_screened"][0].url == f"/perpetrators/{record.judge.pk}/"
    assert [f.record for f in found["term_ended_no_release"]] == [str(record.served.pk)]
    assert "2017" in found["term_ended_no_release"][0].detail
    [pair] = found["likely_duplicate"]
    assert {pair.record, pair.url.split("/")[3]} == {str(pk) for pk in record.dups}
    assert pair.url.startswith("/merge/")
    assert [f.record for f in found["needs_review"]] == [str(record.odd.pk)]
    assert "compulsory medical measures" in found["needs_review"][0].detail


def test_a_hidden_record_is_never_named_in_a_finding(record, coordinator, django_user_model):
    findings = check_record(coordinator)
    assert str(record.secret.pk) not in {f.record for f in findings}
    assert not any("Arcana" in f.detail or "Аркана" in f.detail for f in findings)
    admin = make_user("admin", password=PASSWORD)
    assert str(record.secret.pk) in {f.record for f in check_record(admin)}


def test_an_analyst_may_not_check_the_record_and_the_refusal_is_audited(record, analyst):
    with pytest.raises(Forbidden):
        check_record(analyst)
    assert AuditEntry.objects.filter(event="denied", actor_id=analyst.pk).exists()


def test_check_record_json_prints_one_object_per_finding_with_kind_record_and_detail(
    record, coordinator
):
    out = io.StringIO()
    call_command("check-record", "--json", "--as", coordinator.username, stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows and all(set(r) == {"kind", "record", "detail", "url"} for r in rows)
    assert {r["kind"] for r in rows} == set(KINDS)
    assert len(rows) == len(check_record(coordinator))


def test_check_record_groups_by_kind_with_counts_for_a_reader(record, coordinator):
    out = io.StringIO()
    call_command("check-record", "--as", coordinator.username, stdout=out)
    text = out.getvalue()
    assert "Persons with two primary names: 1" in text
    assert "Perpetrators not screened against a loaded list: 2" in text
    assert "Testa Fictionalia has 2 primary names" in text
    assert text.rstrip().endswith("findings in all.")


def test_the_check_page_lists_the_same_findings_for_a_coordinator(client, record, coordinator):
    login_verified(client, coordinator)
    assert 'href="/checks/"' in client.get("/").content.decode()
    shell = client.get("/checks/")
    assert shell.status_code == 200
    html = ""
    for kind in KINDS:
        assert f'hx-get="/checks/{kind}/"' in shell.content.decode()
        page = client.get(f"/checks/{kind}/")
        assert page.status_code == 200
        html += page.content.decode()
    for finding in check_record(coordinator):
        assert f'href="{finding.url}"' in html
    assert "Arcana" not in html
    assert client.get("/checks/no_such_check/").status_code == 404


def test_the_check_page_is_refused_to_an_analyst_and_not_offered_on_home(client, record, analyst):
    login_verified(client, analyst)
    assert 'href="/checks/"' not in client.get("/").content.decode()
    assert client.get("/checks/").status_code == 403
    assert client.get("/checks/two_primary_names/").status_code == 403


def test_a_person_with_one_primary_name_and_no_other_issue_gives_no_finding(coordinator):
    with change_context("test", detail="clean record"):
        _person("Una Sola")
    assert check_record(coordinator) == []


def test_the_api_returns_the_same_findings_and_refuses_an_analyst(
    client, record, coordinator, analyst
):
    from vigil.accounts.tokens import create_token

    def get(user: Any, **query: str) -> Any:
        token = create_token(user, "fictional test token")[1]
        return client.get("/api/checks", query, headers={"Authorization": f"Bearer {token}"})

    everything = get(coordinator)
    assert everything.status_code == 200
    assert everything.json() == [f.as_dict() for f in check_record(coordinator)]
    one = get(coordinator, kind="needs_review").json()
    assert [f["record"] for f in one] == [str(record.odd.pk)]
    assert get(coordinator, kind="no_such_check").status_code == 422
    refused = get(analyst)
    assert refused.status_code == 403 and "coordinator" in refused.json()["error"]
