"""Perpetrator organisations are screened against listed legal entities end to end: import,
screen (at once and in batch), review with confirmation and undo, the gap report, the dossier.

The organisations here are real public bodies named as lists name them (Belaruskali, the KGB);
the small EU- and OFAC-format files are written for the test in those lists' formats, and one
test reads the real EU list (95 legal entities).
"""

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from vigil.core.context import change_context
from vigil.records.models import (
    Act,
    Event,
    Involvement,
    Organisation,
    OrganisationName,
    Person,
    Term,
)
from vigil.sanctions import reports
from vigil.sanctions.gap import gap_report
from vigil.sanctions.lists import import_list
from vigil.sanctions.models import ListScreening, ScreeningMatch
from vigil.sanctions.screening import decide, screen, screen_names, undo_decision

pytestmark = pytest.mark.django_db

EU_HEADER = (
    "celex,recordId,programKey,annex,measure,startDate,reason,schema,name,alias,weakAlias,"
    "previousName,country,nationality,jurisdiction,birthDate,birthPlace,position,passportNumber,"
    "gender,appearance,ethnicity,fatherName,motherName,incorporationDate,legalForm,sector,"
    "registrationNumber,taxNumber,idNumber,innCode,ogrnCode,kppCode,okpoCode,leiCode,swiftBic,"
    "ticker,imoNumber,mmsi,flag,address,phone,email,website,notes"
).split(",")


def _eu_file(tmp_path, rows):
    """An EU-format file (consolidated header) holding ``rows`` of legal entities."""
    path = tmp_path / "eu.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=EU_HEADER)
        writer.writeheader()
        for record_id, name, alias in rows:
            writer.writerow(
                {
                    "celex": "02006R0765-20250101",
                    "recordId": record_id,
                    "programKey": "BLR",
                    "annex": "I.B",
                    "schema": "LegalEntity",
                    "name": name,
                    "alias": alias,
                    "startDate": "2021-12-02",
                    "reason": "A source of revenue for the regime.",
                }
            )
    return path


def _ofac_files(tmp_path, entries, aliases=()):
    """An OFAC legacy-CSV trio (sdn, alt, add) with ``entries`` (number, name, type)."""
    folder = tmp_path / "ofac"
    folder.mkdir()
    sdn = "".join(
        f'{number},"{name}","{kind}" ,"BELARUS",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
        if kind
        else f'{number},"{name}",-0- ,"BELARUS",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
        for number, name, kind in entries
    )
    (folder / "sdn.csv").write_text(sdn + "\x1a\n", encoding="latin-1")
    alt = "".join(
        f'{number},{900 + i},"aka","{name}",-0- \n' for i, (number, name) in enumerate(aliases)
    )
    (folder / "alt.csv").write_text(alt + "\x1a\n", encoding="latin-1")
    (folder / "add.csv").write_text("\x1a\n", encoding="latin-1")
    return folder / "sdn.csv"


def _perpetrator_organisation(name, kind="company", *, other_names=()):
    """An organisation with a live involvement as the agency responsible for a fictional act."""
    org = Organisation.objects.create(
        display_name=name, kind_id=Term.pk_for("organisation_kind", kind)
    )
    for value in other_names:
        OrganisationName.objects.create(organisation=org, value=value)
    victim = Person.objects.create(display_name="Ales Testavy", is_synthetic=True)
    event = Event.objects.create(title=f"Fictional dismissal by {name}", date=dt.date(2021, 9, 1))
    act = Act.objects.create(
        event=event,
        act_type_id=Term.pk_for("act_type", "dismissal"),
        victim_person=victim,
        date=dt.date(2021, 9, 1),
    )
    Involvement.objects.create(
        act=act,
        perpetrator_organisation=org,
        role_id=Term.pk_for("perpetrator_role", "responsible_agency"),
    )
    return org


@pytest.fixture
def lists_of_belaruskali(tmp_path, analyst):
    """An EU-format entry in Belarusian and English, an OFAC-format one in transliteration,
    and Bank of America beside it: loaded with no perpetrator screened yet."""
    eu = _eu_file(
        tmp_path,
        [
            ("28", "ААТ «Беларуськалій»", "Belaruskali OJSC"),
            ("29", "Bank of America Europe DAC", ""),
        ],
    )
    ofac = _ofac_files(
        tmp_path,
        [("70001", "OAO BELARUSKALI", ""), ("70002", "BANK OF AMERICA", "")],
        aliases=[("70001", "BELARUSKALI OJSC")],
    )
    with change_context("test", actor=analyst):
        import_list("eu-765", eu, version_date=dt.date(2026, 7, 17))
        import_list("ofac-sdn", ofac, version_date=dt.date(2026, 7, 1))
    return analyst


def _statuses(report, org):
    [row] = [r for r in report.organisations if r.organisation == org]
    return {s.list.name: s for s in row.statuses}


def test_a_perpetrator_organisation_is_a_candidate_for_eu_and_ofac_entries_in_other_scripts(
    lists_of_belaruskali,
):
    analyst = lists_of_belaruskali
    with change_context("test", actor=analyst):
        org = _perpetrator_organisation("ОАО «Беларуськалий»")
    # Recorded with lists loaded: screened at once, against both lists.
    matches = {
        (m.listed_entity.sanctions_list.name, m.listed_entity.entity_id): m
        for m in ScreeningMatch.objects.filter(organisation=org)
    }
    assert set(matches) == {("eu-765", "I.B/28"), ("ofac-sdn", "70001")}
    assert matches["eu-765", "I.B/28"].score >= 0.95
    assert "legal form jsc_open on both" in matches["ofac-sdn", "70001"].explanation
    assert not ScreeningMatch.objects.filter(organisation=org, person__isnull=False).exists()
    assert ListScreening.objects.filter(organisation=org).count() == 2


def test_bank_of_armenia_is_not_a_candidate_for_bank_of_america_and_is_not_found_once_screened(
    lists_of_belaruskali,
):
    analyst = lists_of_belaruskali
    with change_context("test", actor=analyst):
        org = _perpetrator_organisation("Bank of Armenia", "company")
    assert not ScreeningMatch.objects.filter(organisation=org).exists()
    statuses = _statuses(gap_report(analyst), org)
    assert {s.state for s in statuses.values()} == {"not_found"}


def test_the_gap_says_not_found_for_an_organisation_only_after_it_was_screened(tmp_path, analyst):
    with change_context("test", actor=analyst):
        armenia = _perpetrator_organisation("Bank of Armenia")
        kali = _perpetrator_organisation("ОАО «Беларуськалий»")
        import_list(
            "ofac-sdn",
            _ofac_files(
                tmp_path, [("70001", "OAO BELARUSKALI", ""), ("70002", "BANK OF AMERICA", "")]
            ),
        )
    report = gap_report(analyst)
    assert _statuses(report, armenia)["ofac-sdn"].state == "not_screened"
    assert _statuses(report, kali)["ofac-sdn"].state == "not_screened"
    assert any("not screened yet" in line for line in report.summary())
    with change_context("test", actor=analyst):
        result = screen()
    assert result.organisations == 2
    report = gap_report(analyst)
    assert _statuses(report, armenia)["ofac-sdn"].state == "not_found"
    assert _statuses(report, kali)["ofac-sdn"].state == "pending"
    # Standing order: the candidate before the organisation not found.
    assert [r.organisation for r in report.organisations] == [kali, armenia]
    assert any(
        line.startswith("Of 2 perpetrator organisations in the record") for line in report.summary()
    )


def test_confirming_an_organisation_candidate_lists_it_in_the_gap_and_undo_takes_it_back(
    lists_of_belaruskali,
):
    analyst = lists_of_belaruskali
    with change_context("test", actor=analyst):
        org = _perpetrator_organisation("ОАО «Беларуськалий»")
        match = ScreeningMatch.objects.get(organisation=org, listed_entity__entity_id="70001")
        decide(match, "confirmed", user=analyst)
    statuses = _statuses(gap_report(analyst), org)
    assert statuses["ofac-sdn"].state == "listed"
    assert statuses["eu-765"].state == "pending"
    [row] = gap_report(analyst).organisations
    assert row.standing == "listed" and row.listed_by == ["US"]
    with change_context("test", actor=analyst):
        undo_decision(match, user=analyst)
    assert _statuses(gap_report(analyst), org)["ofac-sdn"].state == "pending"


def test_the_review_page_shows_an_organisation_candidate_and_confirm_then_undo_work(
    lists_of_belaruskali, client
):
    from vigil.accounts.testing import login_verified

    analyst = lists_of_belaruskali
    with change_context("test", actor=analyst):
        org = _perpetrator_organisation("ОАО «Беларуськалий»", other_names=["Belaruskali"])
    match = ScreeningMatch.objects.get(organisation=org, listed_entity__entity_id="I.B/28")
    login_verified(client, analyst)
    page = client.get("/sanctions/review/").content.decode()
    assert f'id="match-{match.pk}"' in page
    assert "ОАО «Беларуськалий»" in page and "ААТ «Беларуськалій»" in page
    assert "Same organisation…" in page
    assert "Responsible agency" in page or "responsible agency" in page.lower()
    confirm = client.get(f"/sanctions/review/{match.pk}/decide/?decision=confirmed")
    assert "Confirm: the same organisation?" in confirm.content.decode()
    done = client.post(
        f"/sanctions/review/{match.pk}/decide/",
        {"decision": "confirmed", "confirm": "yes", "note": "same name, same registry"},
    )
    assert done.status_code == 302
    match.refresh_from_db()
    assert match.decision == "confirmed" and match.reviewed_by == analyst
    gap_page = client.get("/sanctions/gap/").content.decode()
    assert "Perpetrator organisations" in gap_page and "listed as I.B/28" in gap_page
    undone = client.post(f"/sanctions/review/{match.pk}/undo/")
    assert undone.status_code == 302
    match.refresh_from_db()
    assert match.decision == "pending"


def test_a_renamed_organisation_is_screened_again_under_its_new_name(lists_of_belaruskali):
    analyst = lists_of_belaruskali
    with change_context("test", actor=analyst):
        org = _perpetrator_organisation("Fictional Potash Works No. 4")
        assert not ScreeningMatch.objects.filter(organisation=org).exists()
        OrganisationName.objects.create(organisation=org, value="Belaruskali OJSC")
    found = set(
        ScreeningMatch.objects.filter(organisation=org).values_list(
            "listed_entity__entity_id", flat=True
        )
    )
    assert found == {"I.B/28", "70001"}


def test_batch_screening_of_organisation_names_uses_the_organisation_scorer(lists_of_belaruskali):
    results = dict(
        screen_names(
            [("Беларуськалий", None), ("Bank of Armenia", None)],
            list_name="ofac-sdn",
            organisations=True,
        )
    )
    assert [h.entity_id for h in results["Беларуськалий"]] == ["70001"]
    assert results["Беларуськалий"][0].match
    assert results["Bank of Armenia"] == []


def test_the_screen_command_with_organisations_and_the_organisation_dossier(
    lists_of_belaruskali, tmp_path, capsys, monkeypatch
):
    analyst = lists_of_belaruskali
    names = tmp_path / "names.txt"
    names.write_text("ОАО «Беларуськалий»\nBank of Armenia\n", encoding="utf-8")
    call_command(
        "sanctions",
        "screen",
        str(names),
        "--organisations",
        "--json",
        acting_user=analyst.username,
    )
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {m["entity_id"] for m in lines[0]["matches"]} == {"I.B/28", "70001"}
    assert lines[1]["matches"] == []
    with change_context("test", actor=analyst):
        org = _perpetrator_organisation("ОАО «Беларуськалий»")
    call_command(
        "sanctions",
        "decide",
        "ОАО «Беларуськалий»",
        "eu-765",
        "I.B/28",
        "confirmed",
        "--organisation",
        acting_user=analyst.username,
    )
    assert (
        ScreeningMatch.objects.get(organisation=org, listed_entity__entity_id="I.B/28").decision
        == "confirmed"
    )
    context = reports.dossier_context(analyst, org)
    assert context["row"].organisation == org
    assert [m.listed_entity.entity_id for m in context["matches"]][0] == "I.B/28"
    csv_rows = list(csv.DictReader(io.StringIO(reports.gap_csv(gap_report(analyst)))))
    [org_row] = [r for r in csv_rows if r["kind"] == "organisation"]
    assert org_row["perpetrator"] == "ОАО «Беларуськалий»" and org_row["standing"] == "listed"
    call_command("sanctions", "gap", acting_user=analyst.username)
    text = capsys.readouterr().out
    assert "Perpetrator organisations:" in text
    assert "listed on eu-765 (version 2026-07-17) as I.B/28" in text


def test_the_real_eu_list_finds_the_kgb_and_belaruskali_named_in_russian(eu_file, analyst):
    with change_context("test", actor=analyst):
        import_list("eu-765", eu_file, version_date=dt.date(2026, 7, 17))
        kgb = _perpetrator_organisation("КГБ", "kgb")
        kali = _perpetrator_organisation("ОАО «Беларуськалий»")
    lst_entities = ScreeningMatch.objects.filter(organisation=kali)
    assert "I.B/28" in {m.listed_entity.entity_id for m in lst_entities}
    kgb_matches = {
        m.listed_entity.caption: m.score for m in ScreeningMatch.objects.filter(organisation=kgb)
    }
    assert "State Security Committee of the Republic of Belarus" in kgb_matches
    assert "KGB Alpha" not in kgb_matches or kgb_matches["KGB Alpha"] < 0.82
    # A person is never matched against a legal entity, nor an organisation against a person.
    assert not ScreeningMatch.objects.filter(
        organisation__in=[kgb, kali], listed_entity__schema="Person"
    ).exists()
