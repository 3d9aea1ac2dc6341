import csv
import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import copy_installation

from vigil.core.context import change_context
from vigil.core.errors import ImportFailed
from vigil.core.models import Version
from vigil.importers.viasna import COLUMNS, import_viasna
from vigil.records.custody import Custody, custody_of
from vigil.records.models import (
    Act,
    ActCharge,
    Involvement,
    Organisation,
    Participant,
    Person,
    PersonName,
)
from vigil.records.stats import record_stats

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(shared_data: Path) -> Path:
    return shared_data / "viasna" / "prisoners_sample.csv"


def _import(path: Path, **kwargs):
    with change_context("test"):
        return import_viasna(path, **kwargs)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, rows: list[dict[str, str]], columns=COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _fictional_row(**overrides: str) -> dict[str, str]:
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        id="900001",
        url="https://example.org/person/fictional-ivanka-tsvirko",
        name="Ivanka Tsvirko",
        status="active",
        gender="female",
        birthday="1990-01-02",
        arrested="2021-03-04",
        articles="Art. 342 of the Criminal Code — Fictional title",
        prison_title="Penal colony No. 4",
        decision="2 1/2 years",
        penalty="imprisonment in a general-security penal colony",
        judge="Zmitrok Fictionaly",
        counsel="Fictionava",
        verdict_date="2021-09-01",
    )
    row.update(overrides)
    return row


def test_whole_sample_imports_with_every_row_accounted_for(sample):
    report = _import(sample)
    assert report.rows == len(_rows(sample)) == 285
    assert report.imported + len(report.problems) == report.rows
    assert report.problems == []
    assert Person.objects.filter(external_ids__scheme="viasna").count() == 285


def test_importing_the_same_file_twice_changes_nothing(sample):
    _import(sample)
    counts = {m: m.all_objects.count() for m in (Person, Act, Involvement, Participant)}
    versions = Version.objects.count()
    second = _import(sample)
    assert second.upsert.total("created") == 0
    assert second.upsert.total("updated") == 0
    assert {m: m.all_objects.count() for m in counts} == counts
    assert Version.objects.count() == versions


def test_two_people_sharing_one_url_stay_two_persons(sample):
    _import(sample)
    shared = [r for r in _rows(sample) if r["url"].endswith("hramadzjanin-a.")]
    assert len(shared) == 2
    ids = {r["id"] for r in shared}
    persons = Person.objects.filter(external_ids__scheme="viasna", external_ids__value__in=ids)
    assert persons.count() == 2
    assert all(p.name_withheld for p in persons)
    assert not PersonName.objects.filter(person__in=persons).exists()


def test_surname_first_judge_is_split_and_kept_apart_from_other_spellings(sample):
    _import(sample)
    assert Person.objects.filter(display_name="Siarhei Beraziuk").exists()
    maksim = Person.objects.get(display_name="Maksim Filatau")
    assert Involvement.objects.filter(perpetrator_person=maksim, role__key="judge").count() >= 7


def test_counsel_column_becomes_unconfirmed_participants_never_counsel(sample):
    _import(sample)
    biziuk = Participant.objects.filter(name_text="Raman Biziuk")
    assert biziuk.exists()
    assert all(p.confirmed_role == "" and p.stated_role == "counsel" for p in biziuk)
    assert not Involvement.objects.filter(perpetrator_person__display_name="Raman Biziuk").exists()
    surname_only = Participant.objects.get(name_text="Tsitovich")
    assert surname_only.person is None


def test_status_values_in_the_place_column_are_not_organisations(sample):
    _import(sample)
    names = set(Organisation.objects.values_list("display_name", flat=True))
    assert "House arrest" not in names
    assert not any("awaiting" in n for n in names)
    assert "Penal colony No. 4" in names


def test_inchoate_charges_keep_the_main_article_and_the_modifier(sample):
    _import(sample)
    prep = ActCharge.objects.filter(provision__article="293", inchoate="preparation")
    attempt = ActCharge.objects.filter(provision__article="357", inchoate="attempt")
    assert prep.exists() and attempt.exists()
    assert not ActCharge.objects.filter(provision__article__in=["13", "14"]).exists()


def test_sentences_are_parsed_into_months_regimes_and_measures(sample):
    _import(sample)
    chapiuk = Person.objects.get(display_name="Andrei Chapiuk")
    sentence = Act.objects.get(victim_person=chapiuk, act_type__key="sentence")
    assert sentence.sentence_months == 72
    assert sentence.sentence_regime_id == "detention_regime.medium_colony"
    khimiya = Act.objects.filter(restriction_measure__key="open_facility")
    assert khimiya.exists() and not khimiya.filter(sentence_regime__isnull=False).exists()
    assert Act.objects.filter(act_type__key="charges_dismissed").count() == 1
    assert Act.objects.filter(fine_unit="base rates", fine_amount=350).exists()


def test_custody_is_derived_from_acts_not_from_the_status_label(tmp_path):
    released = _fictional_row(release_date="2023-03-04", status="active")
    _import(_write(tmp_path / "one.csv", [released]))
    person = Person.objects.get(display_name="Ivanka Tsvirko")
    assert custody_of(person).status is Custody.NOT_IN_CUSTODY


def test_stats_reflect_the_import(sample):
    _import(sample)
    stats = record_stats()
    assert stats["persons"] == Person.objects.count()
    assert stats["acts_by_type"]["sentence"] == Act.objects.filter(act_type__key="sentence").count()
    assert stats["perpetrators_by_role"]["judge"] > 100
    assert stats["custody"]["in_custody"] + stats["custody"]["restricted_liberty"] > 0


def test_bad_date_is_reported_with_its_line_and_nothing_is_written(tmp_path):
    rows = [_fictional_row(), _fictional_row(id="900002", arrested="2021-13-45")]
    with pytest.raises(ImportFailed) as err:
        _import(_write(tmp_path / "bad.csv", rows))
    assert err.value.problems == [(3, "arrested: '2021-13-45' is not a date (YYYY-MM-DD)")]
    assert Person.all_objects.count() == 0
    assert Version.objects.count() == 0


def test_partial_import_keeps_good_rows_and_reports_bad_ones(tmp_path):
    # A date that does not exist is impossible (an unreadable decision is only flagged now).
    rows = [_fictional_row(), _fictional_row(id="900002", verdict_date="2021-02-30")]
    report = _import(_write(tmp_path / "bad.csv", rows), partial=True)
    assert report.imported == 1
    assert [p.line for p in report.problems] == [3]
    assert "2021-02-30" in report.problems[0].reason
    assert Person.objects.filter(display_name="Ivanka Tsvirko").count() == 1


def test_unknown_column_is_refused_before_anything_is_read(tmp_path):
    path = _write(
        tmp_path / "extra.csv",
        [{**_fictional_row(), "shoe_size": "42"}],
        columns=[*COLUMNS, "shoe_size"],
    )
    with pytest.raises(ImportFailed, match="unknown column.*shoe_size"):
        _import(path)
    assert Person.all_objects.count() == 0


def test_broken_quote_is_reported_with_its_line(tmp_path):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS))
    writer.writeheader()
    writer.writerow(_fictional_row())
    text = buffer.getvalue() + '900002,"https://example.org/x,Broken "Quote,active\n'
    path = tmp_path / "quote.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"line 3"):
        _import(path)
    assert Person.all_objects.count() == 0


def test_repeated_id_in_one_file_is_reported(tmp_path):
    rows = [_fictional_row(), _fictional_row(name="Someone Else")]
    with pytest.raises(ImportFailed) as err:
        _import(_write(tmp_path / "dup.csv", rows))
    assert err.value.problems[0][0] == 3
    assert "repeats" in err.value.problems[0][1]


def test_changed_row_in_a_newer_file_updates_in_place_with_a_new_version(tmp_path):
    _import(_write(tmp_path / "v1.csv", [_fictional_row()]))
    report = _import(_write(tmp_path / "v2.csv", [_fictional_row(release_date="2024-01-01")]))
    assert report.upsert.created["records.act"] == 1
    assert Person.objects.filter(display_name="Ivanka Tsvirko").count() == 1


@pytest.mark.slow
def test_cli_reports_bad_rows_and_exits_2(tmp_path, initialised_data):
    path = _write(tmp_path / "bad.csv", [_fictional_row(birthday="yesterday")])
    env = {
        "VIGIL_DATA_DIR": str(tmp_path / "data"),
        "PATH": "/usr/bin:/bin",
        "VIGIL_KEY_SOURCE": "keyfile",
        "VIGIL_ALLOW_KEYFILE": "1",
    }
    vigil = [sys.executable, "-m", "vigil"]
    copy_installation(initialised_data, tmp_path / "data")  # what `vigil init` would make
    create = "from vigil.accounts.models import User; User.objects.create_user('fictional-importer', role='documenter')"  # noqa: E501
    subprocess.run([*vigil, "shell", "-c", create], env=env, check=True, capture_output=True)
    run = subprocess.run(
        [*vigil, "import", "viasna", str(path), "--as", "fictional-importer"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2
    assert "line 2: birthday: 'yesterday' is not a date" in run.stderr
    assert "Traceback" not in run.stderr


def test_restricted_freedom_with_no_measure_named_is_restriction_not_imprisonment(tmp_path):
    row = _fictional_row(
        decision="2 years", penalty="restricted freedom", prison_title="", verdict_date="2026-01-10"
    )
    _import(_write(tmp_path / "restricted.csv", [row]))
    (sentence,) = Act.objects.filter(act_type__key="sentence")
    assert sentence.restriction_measure.key == "restricted_freedom"
    assert sentence.sentence_regime is None
    person = Person.objects.get(external_ids__scheme="viasna")
    assert custody_of(person, today=dt.date(2026, 6, 1)).status is Custody.RESTRICTED
