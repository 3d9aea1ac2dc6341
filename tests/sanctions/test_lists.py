import csv
import datetime as dt
from pathlib import Path

import pytest

from vigil.core.context import change_context
from vigil.core.errors import ImportFailed
from vigil.sanctions.lists import import_list
from vigil.sanctions.models import ListChange, ListedEntity, SanctionsList

pytestmark = pytest.mark.django_db


def _import(kind, path, **kw):
    with change_context("test"):
        return import_list(kind, path, **kw)


def test_eu_list_imports_every_entry_with_its_own_identifier(eu_file):
    report = _import("eu-765", eu_file, version_date=dt.date(2026, 7, 17))
    assert report.read == report.added == 408
    lst = SanctionsList.objects.get(name="eu-765")
    assert lst.issuer == "EU" and lst.entity_count == 408
    assert lst.entities.filter(schema="Person").count() == 312
    naumov = lst.entities.get(entity_id="I.A/1")
    assert "Владимир Владимирович НАУМОВ" in naumov.name_values()
    assert naumov.birth_dates == ["1956-02-07"]
    assert lst.entities.filter(entity_id__startswith="I.B/").exists()


def test_reimporting_the_same_version_changes_nothing(eu_file):
    _import("eu-765", eu_file)
    again = _import("eu-765", eu_file)
    assert (again.added, again.changed, again.removed, again.unchanged) == (0, 0, 0, 408)
    assert ListChange.objects.count() == 0


def test_a_newer_version_updates_in_place_and_records_what_changed(eu_file, tmp_path):
    _import("eu-765", eu_file, version_date=dt.date(2026, 1, 1))
    with eu_file.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    dropped = next(r for r in rows if r["recordId"] == "2" and r["annex"] == "I.A")
    rows.remove(dropped)
    changed = next(r for r in rows if r["recordId"] == "1" and r["annex"] == "I.A")
    changed["reason"] = changed["reason"] + " Amended."
    newer = tmp_path / "newer.csv"
    with newer.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    report = _import("eu-765", newer, version_date=dt.date(2026, 7, 17))
    assert (report.changed, report.removed) == (1, 1)
    gone = ListedEntity.objects.get(entity_id="I.A/2")
    assert not gone.active and gone.removed_in == "2026-07-17"
    kinds = sorted(ListChange.objects.values_list("change", flat=True))
    assert kinds == ["changed", "removed"]
    assert SanctionsList.objects.get().version_date == dt.date(2026, 7, 17)


def test_ofac_legacy_csv_imports_with_aliases_from_beside_it(shared_data):
    report = _import("ofac-sdn", shared_data / "ofac" / "sdn.csv")
    assert report.read > 8000
    belarus = ListedEntity.objects.filter(programme__icontains="BELARUS")
    assert belarus.count() == 59
    kalinowski = ListedEntity.objects.filter(caption__icontains="KALINOWSKI").first()
    assert kalinowski is not None


def test_un_xml_imports_individuals_and_entities(shared_data):
    report = _import("un", shared_data / "un" / "UN_consolidated.xml")
    assert report.read == 1003
    lst = SanctionsList.objects.get(name="un")
    assert lst.entities.filter(schema="Person").count() == 730


def test_a_file_of_the_wrong_kind_is_refused_and_writes_nothing(shared_data):
    with pytest.raises(ImportFailed):
        _import("eu-765", shared_data / "viasna" / "prisoners_sample.csv")
    assert not ListedEntity.objects.exists()
    assert not SanctionsList.objects.exists()


def test_truncated_xml_is_refused_and_writes_nothing(shared_data, tmp_path):
    text = (shared_data / "un" / "UN_consolidated.xml").read_text(encoding="utf-8")
    cut = tmp_path / "cut.xml"
    cut.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(ImportFailed):
        _import("un", cut)
    assert not ListedEntity.objects.exists()


def test_a_list_name_cannot_change_kind(eu_file, shared_data):
    _import("eu-765", eu_file, name="belarus")
    with pytest.raises(Exception, match="was imported as eu-765"):
        _import("un", shared_data / "un" / "UN_consolidated.xml", name="belarus")


def test_missing_file_gives_a_clear_error(tmp_path: Path):
    with pytest.raises(ImportFailed, match="no such file"):
        _import("eu-765", tmp_path / "absent.csv")


def test_ofac_import_with_superscript_entry_numbers_is_refused_cleanly_and_writes_nothing(
    tmp_path,
):
    empty = ",".join(["-0- "] * 7)
    lines = [
        f'1001,"EXAMPLAU, Fiktyvan","individual","BELARUS",{empty},-0- ',
        f'1002²,"SUPERSCRIPT, Fiktyvan","individual","BELARUS",{empty},-0- ',
        "\x1a",
    ]
    path = tmp_path / "sdn.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")
    (tmp_path / "alt.csv").write_text('1001,1,"aka","EXAMPLOV, Fiktivan",-0- \r\n\x1a\r\n')
    with pytest.raises(ImportFailed) as raised:
        _import("ofac-sdn", path)
    assert [line for line, _ in raised.value.problems] == [2]
    assert not ListedEntity.objects.exists() and not SanctionsList.objects.exists()
