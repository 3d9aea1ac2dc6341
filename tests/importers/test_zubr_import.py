"""`vigil import zubr`: ZUBR's administrative court decisions, read from the real file."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import copy_installation

import vigil as vigil_package
from vigil.core.context import change_context
from vigil.core.errors import ImportFailed
from vigil.core.models import Version
from vigil.importers import zubr_values as values
from vigil.importers.viasna import import_viasna
from vigil.importers.zubr import UNCONFIRMED, import_zubr
from vigil.records.custody import Custody, custody_of
from vigil.records.merge import merge_candidates
from vigil.records.models import (
    Act,
    ActCharge,
    ClaimKind,
    Information,
    Involvement,
    LegalProvision,
    Organisation,
    Person,
    Source,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_file(shared_data: Path) -> Path:
    return shared_data / "zubr" / "admin_decisions.json"


@pytest.fixture
def decisions(real_file: Path) -> list[dict[str, str]]:
    return json.loads(real_file.read_text(encoding="utf-8"))


def _form(text: str) -> values.NameForm:
    return values.parse_name(text, "judge").form


def _pick(records: list[dict[str, str]], test: Any) -> dict[str, str]:
    return next(r for r in records if test(r))


def _repeated_person(records: list[dict[str, str]]) -> list[dict[str, str]]:
    """The first two distinct decisions naming one full name with one sex."""
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for r in records:
        key = (r["full_name"], r["sex"])
        if r["sex"] and _form(r["full_name"]) is values.NameForm.FULL and key in seen:
            if seen[key]["event_date"] != r["event_date"]:
                return [seen[key], r]
        seen.setdefault(key, r)
    raise AssertionError("the real file names no one twice")


@pytest.fixture
def sample(decisions: list[dict[str, str]]) -> dict[str, Any]:
    """A handful of real decisions, each chosen for what it shows."""
    return {
        "arrest": _pick(
            decisions,
            lambda r: r["arrest"] and not r["fine"] and r["court_date"]
            and r["judge"] and _form(r["judge"]) is values.NameForm.FULL,
        ),
        "fine": _pick(
            decisions,
            lambda r: r["fine"] and not r["arrest"] and r["court_date"]
            and r["judge"] and _form(r["judge"]) is values.NameForm.INITIALS,
        ),
        "surname_judge": _pick(
            decisions, lambda r: r["judge"] and _form(r["judge"]) is values.NameForm.SURNAME
        ),
        "no_court_date": _pick(decisions, lambda r: not r["court_date"]),
        "both": _pick(decisions, lambda r: r["arrest"] and r["fine"]),
        "repeated": _repeated_person(decisions),
    }  # fmt: skip


def _records(sample: dict[str, Any]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for value in sample.values():
        for r in value if isinstance(value, list) else [value]:
            if r not in out:
                out.append(r)
    return out


def _write(path: Path, records: list[Any]) -> Path:
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def _import(path: Path, **kwargs: Any) -> Any:
    with change_context("test"):
        return import_zubr(path, **kwargs)


def _acts_of(row: dict[str, str], kind: str) -> list[Act]:
    name = values.parse_name(row["full_name"], "full_name")
    return list(
        Act.objects.filter(
            victim_person__display_name=name.display,
            act_type__key=kind,
            date=dt.date.fromisoformat(row["event_date"]),
        )
    )


def _counts() -> dict[str, int]:
    models = (Person, Act, ActCharge, Involvement, Information, Source, Organisation)
    return {m.__name__: m.all_objects.count() for m in models}


def test_arrest_decision_becomes_an_administrative_arrest_with_its_days_court_and_judge(
    tmp_path, sample
):
    row = sample["arrest"]
    _import(_write(tmp_path / "z.json", [row]))
    (arrest,) = _acts_of(row, "administrative_arrest")
    assert arrest.detention_days == int(row["arrest"].split()[0])
    assert arrest.sentence_text == row["arrest"]
    assert arrest.place.display_name == row["court"]
    assert arrest.place.kind_id == "organisation_kind.court"
    (judge,) = Involvement.objects.filter(act=arrest)
    assert judge.role_id == "perpetrator_role.judge"
    assert judge.perpetrator_person.names.get().value == row["judge"]
    assert judge.note == ""
    charge = ActCharge.objects.filter(act=arrest).first()
    assert charge.provision.code == "administrative"
    assert row["article"].startswith(charge.provision.article)


def test_fine_decision_keeps_base_units_and_roubles(tmp_path, sample):
    row = sample["fine"]
    _import(_write(tmp_path / "z.json", [row]))
    (fine,) = _acts_of(row, "administrative_fine")
    units, roubles = row["fine"].split("б.в.")
    assert fine.fine_amount == Decimal(units.strip())
    assert fine.fine_unit == "base rates"
    assert fine.description == f"{Decimal(roubles.replace('руб.', '').replace(' ', '').replace(',', '.'))} BYN"  # noqa: E501
    assert not _acts_of(row, "administrative_arrest")


def test_decision_with_arrest_and_fine_records_both(tmp_path, sample):
    row = sample["both"]
    _import(_write(tmp_path / "z.json", [row]))
    assert len(_acts_of(row, "administrative_arrest")) == 1
    assert len(_acts_of(row, "administrative_fine")) == 1


def test_known_since_is_the_court_date_or_the_event_date_flagged_assumed(tmp_path, sample):
    dated, undated = sample["arrest"], sample["no_court_date"]
    _import(_write(tmp_path / "z.json", [dated, undated]))
    (known,) = _acts_of(dated, "administrative_arrest")
    assert known.known_since == dt.date.fromisoformat(dated["court_date"])
    assert known.known_since_assumed is False
    name = values.parse_name(undated["full_name"], "full_name").display
    acts = Act.objects.filter(victim_person__display_name=name)
    assert acts.exists()
    for act in acts:
        assert act.known_since == dt.date.fromisoformat(undated["event_date"])
        assert act.known_since_assumed is True


def test_the_end_of_an_arrest_is_a_release_cited_as_derived(tmp_path, sample):
    row = sample["arrest"]
    _import(_write(tmp_path / "z.json", [row]))
    (release,) = _acts_of(row, "release") or Act.objects.filter(act_type__key="release")
    days = int(row["arrest"].split()[0])
    assert release.date == dt.date.fromisoformat(row["event_date"]) + dt.timedelta(days=days)
    cited = Information.objects.get(target_id=release.pk)
    assert cited.claim_kind == ClaimKind.DERIVED
    assert custody_of(release.victim_person).status is Custody.NOT_IN_CUSTODY


def test_initials_only_judge_is_a_judge_with_an_unconfirmed_full_name(tmp_path, sample):
    row = sample["fine"]
    _import(_write(tmp_path / "z.json", [row]))
    (involvement,) = Involvement.objects.filter(act__in=_acts_of(row, "administrative_fine"))
    judge = involvement.perpetrator_person
    assert involvement.role_id == "perpetrator_role.judge"
    assert involvement.note.startswith(UNCONFIRMED) and row["judge"] in involvement.note
    assert judge.notes.startswith(UNCONFIRMED) and row["court"] in judge.notes
    # Screened like any perpetrator: the screening selects persons with an involvement.
    from vigil.sanctions.screening import perpetrators

    assert perpetrators().filter(pk=judge.pk).exists()


def test_surname_only_judges_of_two_courts_stay_two_persons(tmp_path, sample):
    row = sample["surname_judge"]
    other = {**row, "court": "Fictional District Court", "event_date": "2019-01-02"}
    report = _import(_write(tmp_path / "z.json", [row, other]))
    judges = Person.objects.filter(involvements__isnull=False).distinct()
    assert judges.count() == 2
    assert report.unconfirmed_judges == 2


def test_same_name_and_sex_in_two_decisions_is_one_person_with_the_reason_noted(
    tmp_path, sample
):
    first, second = sample["repeated"]
    report = _import(_write(tmp_path / "z.json", [first, second]))
    (person,) = Person.objects.filter(external_ids__scheme="zubr")
    assert Act.objects.filter(victim_person=person).exclude(act_type__key="release").count() >= 2
    assert "one person across 2 decisions" in person.notes
    assert first["id"] in person.notes and second["id"] in person.notes
    assert report.joined == 1


def test_same_name_with_another_or_no_sex_stays_apart(tmp_path, sample):
    first, _ = sample["repeated"]
    other_sex = {**first, "sex": "ж" if first["sex"] == "м" else "м", "event_date": "2019-05-05"}
    no_sex = {**first, "sex": "", "event_date": "2019-06-06"}
    report = _import(_write(tmp_path / "z.json", [first, other_sex, no_sex]))
    assert Person.objects.filter(external_ids__scheme="zubr").count() == 3
    assert report.joined == 0


def test_importing_the_same_decisions_twice_changes_nothing(tmp_path, sample):
    path = _write(tmp_path / "z.json", _records(sample))
    first = _import(path)
    assert first.upsert.total("created") > 0
    counts, versions = _counts(), Version.objects.count()
    second = _import(path)
    assert second.upsert.total("created") == 0
    assert second.upsert.total("updated") == 0
    assert _counts() == counts
    assert Version.objects.count() == versions


def test_a_word_for_word_repeat_is_imported_once_and_reported(tmp_path, sample):
    row = sample["arrest"]
    report = _import(_write(tmp_path / "z.json", [row, {**row, "id": "999999"}, row]))
    assert report.imported == 1
    assert [(pos, first) for pos, first, _ in report.repeats] == [(2, 1), (3, 1)]
    assert len(_acts_of(row, "administrative_arrest")) == 1
    source = Source.objects.get()
    assert f"{row['id']} = 999999" in source.citation


def test_a_bad_record_is_reported_with_its_position_and_nothing_is_written(tmp_path, sample):
    good = _records(sample)[:2]
    bad = {**sample["arrest"], "id": "77", "arrest": "a fortnight", "event_date": "2020-02-30"}
    with pytest.raises(ImportFailed) as err:
        _import(_write(tmp_path / "z.json", [*good, bad, "not an object"]))
    assert err.value.unit == "record"
    assert err.value.problems == [
        (3, "event_date: '2020-02-30' is not a date (YYYY-MM-DD) (ZUBR id 77)"),
        (4, "expected an object with the fields of a decision, found a string"),
    ]
    assert _counts() == dict.fromkeys(_counts(), 0)
    assert Version.objects.count() == 0


def test_partial_import_keeps_the_good_records(tmp_path, sample):
    good = sample["arrest"]
    bad = {**sample["fine"], "fine": "a lot"}
    report = _import(_write(tmp_path / "z.json", [good, bad]), partial=True)
    assert report.imported == 1
    assert [p.line for p in report.problems] == [2]
    assert "fine: 'a lot' is not a fine" in report.problems[0].reason
    assert len(_acts_of(good, "administrative_arrest")) == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "line 1, column 2: not valid JSON"),
        ('{"id": "1"}', "expected a JSON list of decisions, found an object"),
    ],
)
def test_a_file_that_is_not_a_list_of_decisions_is_refused_plainly(tmp_path, text, message):
    path = tmp_path / "z.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFailed, match=message):
        _import(path)


def test_existing_provision_is_reused_not_duplicated(tmp_path, sample):
    row = sample["arrest"]
    charge = values.parse_charges(row["article"])[0]
    with change_context("test"):
        known = LegalProvision(code="administrative", article=charge.article, part=charge.part)
        known.save()
    _import(_write(tmp_path / "z.json", [row]))
    assert ActCharge.objects.filter(provision=known).count() == 1


def test_a_viasna_prisoner_named_in_zubr_is_offered_as_a_link_never_merged(
    tmp_path, shared_data, decisions
):
    with change_context("test"):
        import_viasna(shared_data / "viasna" / "prisoners_sample.csv")
    rows = [r for r in decisions if r["full_name"] == "Чапюк Андрэй"]
    assert rows, "the real file names Andrei Chapiuk"
    report = _import(_write(tmp_path / "z.json", rows))
    offered = {(link.zubr_name, link.other_name) for link in report.links}
    assert ("Андрэй Чапюк", "Andrei Chapiuk") in offered
    viasna = Person.objects.get(external_ids__scheme="viasna", display_name="Andrei Chapiuk")
    zubr = Person.objects.get(external_ids__scheme="zubr")
    assert zubr.pk != viasna.pk and zubr.merged_into is None
    assert zubr in [p for p, _, _ in merge_candidates(viasna)]


@pytest.mark.slow
def test_the_whole_real_file_imports_every_decision_or_reports_it_twice_unchanged(real_file):
    records = json.loads(real_file.read_text(encoding="utf-8"))
    total = len(records)
    contents: dict[tuple[str, str], set[str]] = {}
    for r in records:
        content = json.dumps({k: v for k, v in r.items() if k != "id"}, sort_keys=True)
        contents.setdefault((r["full_name"].strip(), r["sex"]), set()).add(content)
    named_twice = sum(1 for c in contents.values() if len(c) > 1)
    started = time.perf_counter()
    report = _import(real_file)
    took = time.perf_counter() - started
    assert report.rows == total == 6616
    assert report.problems == []
    assert report.imported + len(report.repeats) == total
    # PROVENANCE counts 575 names in two or more records, word-for-word repeats and other
    # sexes included; the same name and sex in distinct decisions is one person at least.
    assert named_twice <= report.joined <= 575
    print(f"\nZUBR import: {total} records in {took:.1f} s ({total / took:.0f} records/s)")
    counts, versions = _counts(), Version.objects.count()
    started = time.perf_counter()
    second = _import(real_file, offer=False)
    print(f"second import: {time.perf_counter() - started:.1f} s")
    assert second.upsert.total("created") == second.upsert.total("updated") == 0
    assert _counts() == counts and Version.objects.count() == versions


@pytest.mark.slow
def test_cli_imports_says_nothing_changed_the_second_time_and_reports_bad_records(
    tmp_path, sample, initialised_data
):
    good = _write(tmp_path / "good.json", _records(sample))
    bad = _write(tmp_path / "bad.json", [{**sample["arrest"], "sex": "x"}])
    env = {
        "VIGIL_DATA_DIR": str(tmp_path / "data"),
        "PATH": "/usr/bin:/bin",
        "VIGIL_KEY_SOURCE": "keyfile",
        "VIGIL_ALLOW_KEYFILE": "1",
        # The code under test, wherever the interpreter's own copy of vigil lives.
        "PYTHONPATH": str(Path(vigil_package.__file__).parent.parent),
    }
    vigil = [sys.executable, "-m", "vigil"]
    copy_installation(initialised_data, tmp_path / "data")  # what `vigil init` would make
    create = "from vigil.accounts.models import User; User.objects.create_user('fictional-importer', role='documenter')"  # noqa: E501

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*vigil, *args], env=env, capture_output=True, text=True)

    subprocess.run([*vigil, "shell", "-c", create], env=env, check=True, capture_output=True)
    first = run("import", "zubr", str(good), "--as", "fictional-importer")
    assert first.returncode == 0, first.stderr
    assert "Persons: " in first.stdout
    again = run("import", "zubr", str(good), "--as", "fictional-importer")
    assert "Nothing changed" in again.stdout
    refused = run("import", "zubr", str(bad), "--as", "fictional-importer")
    assert refused.returncode == 2
    assert "record 1: sex: unknown value 'x'" in refused.stderr
    assert "Traceback" not in refused.stderr
