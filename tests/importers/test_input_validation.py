"""One validation layer for every importer: bad values are refused with their line, nothing is
written, and a huge field is refused without being read into memory."""

from __future__ import annotations

import csv
import datetime as dt
import tracemalloc
from pathlib import Path

import pytest

from vigil.core import validation
from vigil.core.context import change_context
from vigil.core.errors import ImportFailed
from vigil.importers.viasna import COLUMNS, import_viasna
from vigil.records.models import Act, Person, PersonName, Source
from vigil.responses.upr import import_upr
from vigil.sanctions.sources import ListFormatError, read_eu_765, read_ofac_sdn
from vigil.sanctions.sources.eu_765 import CONSOLIDATED_HEADER

pytestmark = pytest.mark.django_db

ROW = {
    "id": "900001",
    "url": "https://example.org/person/fictional-ivanka-tsvirko",
    "name": "Ivanka Tsvirko",
    "gender": "female",
    "birthday": "1990-01-02",
    "arrested": "2021-03-04",
    "decision": "2 years",
    "verdict_date": "2021-09-01",
}


def _viasna_file(tmp_path: Path, *overrides: dict[str, str], header=COLUMNS) -> Path:
    path = tmp_path / "viasna.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for i, override in enumerate(({}, *overrides)):
            row = {**dict.fromkeys(COLUMNS, ""), **ROW, "id": str(900001 + i), **override}
            writer.writerow([row[c] for c in header])
    return path


def _counts() -> dict[str, int]:
    return {m.__name__: m.all_objects.count() for m in (Person, PersonName, Act, Source)}


def _refused(path: Path) -> ImportFailed:
    before = _counts()
    with change_context("test"), pytest.raises(ImportFailed) as raised:
        import_viasna(path)
    assert _counts() == before, "a refused import changed the database"
    return raised.value


@pytest.mark.parametrize(
    ("override", "reason"),
    [
        ({"name": "Ivanka\x00Tsvirko"}, "name: contains a control character (U+0000"),
        ({"name": "Ivanka\x07Tsvirko"}, "name: contains a control character (U+0007"),
        ({"name": "Ivanka \u202eokrivsT"}, "RIGHT-TO-LEFT OVERRIDE"),
        ({"name": "   "}, "name: blank"),
        ({"name": "\t \t"}, "name: contains a control character"),
        ({"name": "N" * 600}, "name: 600 characters, more than the 500 allowed"),
        ({"judge": "Zmitrok\x1bFictionaly"}, "judge: contains a control character"),
        ({"birthday": "9999-12-31"}, "birthday: 9999-12-31 is not a plausible birth date"),
        ({"birthday": "0001-01-01"}, "birthday: 0001-01-01 is not a plausible birth date"),
        ({"arrested": "0001-01-01"}, "arrested: 0001-01-01 is not a plausible date"),
        ({"release_date": "9999-12-31"}, "release_date: 9999-12-31 is not a plausible date"),
        ({"decision": "999999999 years"}, "decision: a term of 999,999,999 years"),
        ({"decision": "101 years"}, "more than 100 years"),
        ({"url": "javascript:alert(1)"}, "url: 'javascript:alert(1)' is not an http(s) link"),
        ({"url": "file:///etc/passwd"}, "is not an http(s) link"),
        ({"url": "https://"}, "is not an http(s) link"),
        ({"description": "x" * 60_000}, "description: 60,000 characters"),
    ],
)
def test_viasna_import_refuses_the_bad_value_with_its_line_and_writes_nothing(
    tmp_path, override, reason
):
    error = _refused(_viasna_file(tmp_path, override))
    assert [line for line, _ in error.problems] == [3]
    assert reason in error.problems[0][1]


def test_viasna_partial_import_keeps_the_good_rows_and_reports_the_bad_one(tmp_path):
    path = _viasna_file(tmp_path, {"name": "Bad\x00Name"})
    with change_context("test"):
        report = import_viasna(path, partial=True)
    assert report.imported == 1 and [p.line for p in report.problems] == [3]
    names = [p.display_name for p in Person.objects.all()]
    assert names == ["Ivanka Tsvirko"] and all("\x00" not in n for n in names)


def test_viasna_import_keeps_plausible_values_and_an_empty_name_as_withheld(tmp_path):
    path = _viasna_file(
        tmp_path,
        {"name": "", "birthday": "1900-01-01", "release_date": "2031-03-04", "url": ""},
        {"decision": "25 years", "url": "http://example.org/fictional"},
        {"description": "First line.\nSecond line.\tTabbed."},
    )
    with change_context("test"):
        report = import_viasna(path)
    assert report.problems == [] and report.imported == 4
    assert Person.objects.filter(name_withheld=True).count() == 1


def test_viasna_import_refuses_a_header_naming_a_column_twice(tmp_path):
    path = _viasna_file(tmp_path, header=(*COLUMNS, "name"))
    error = _refused(path)
    assert "line 1" in error.message and "'name' more than once" in error.message


def test_viasna_import_refuses_a_10_mb_name_by_its_line_without_reading_it(tmp_path):
    path = _viasna_file(tmp_path, {"name": "N" * 10_000_000})
    # followthemoney raises the csv module's global field limit to 30 MB when it is imported.
    previous = csv.field_size_limit(30 * 1024 * 1024)
    tracemalloc.start()
    try:
        error = _refused(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        csv.field_size_limit(previous)
    assert error.problems[0][0] == 3
    assert "longer than" in error.message
    assert peak < 30 * 1024 * 1024, f"peak {peak / 2**20:.0f} MiB"


def test_viasna_import_refuses_a_field_over_the_read_limit_with_its_line(tmp_path):
    path = _viasna_file(tmp_path, {"description": "d" * (validation.MAX_FIELD + 10)})
    previous = csv.field_size_limit(30 * 1024 * 1024)
    try:
        error = _refused(path)
    finally:
        csv.field_size_limit(previous)
    assert error.problems == [(3, "a field is longer than 100,000 characters")]


def test_upr_import_refuses_control_characters_and_duplicated_columns(tmp_path):
    path = tmp_path / "upr.csv"
    path.write_text(
        "text,to,decision,From,year,notes\n"
        '"90.1. Fictional recommendation",belarus,support,"Fictiv\x01land",2010,\n',
        encoding="utf-8",
    )
    with change_context("test"), pytest.raises(ImportFailed) as raised:
        import_upr(path)
    assert raised.value.problems[0][0] == 2
    assert "From: contains a control character" in raised.value.problems[0][1]
    path.write_text("text,to,decision,From,year,notes,text\n", encoding="utf-8")
    with change_context("test"), pytest.raises(ImportFailed, match="'text' more than once"):
        import_upr(path)


def _eu_row(**values: str) -> list[str]:
    cells = {"celex": "32006R0765", "annex": "I.A", "schema": "Person", **values}
    return [cells.get(column, "") for column in CONSOLIDATED_HEADER]


def _eu_file(tmp_path: Path, name: str, birth: str = "") -> Path:
    path = tmp_path / "eu.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CONSOLIDATED_HEADER)
        writer.writerow(_eu_row(recordId="7", name=name, birthDate=birth))
        writer.writerow(_eu_row(recordId="8", name="Testa EXAMPLOVA"))
    return path


def test_sanctions_reader_skips_a_name_with_control_characters_and_says_why(tmp_path):
    result = read_eu_765(_eu_file(tmp_path, "Fictiv\x01 EXAMPLOV")).collect()
    assert [r.entity_id for r in result.records] == ["I.A/8"]
    assert any(
        p.line == 2 and "control character" in p.reason and "skipped" in p.reason
        for p in result.problems
    )


def test_sanctions_reader_leaves_out_absurd_birth_dates(tmp_path):
    result = read_eu_765(_eu_file(tmp_path, "Fictiv EXAMPLOV", "31.12.9999; 7.2.1956")).collect()
    (record, _) = result.records
    assert record.birth_dates == ("1956-02-07",)
    assert any("9999-12-31 is not a plausible birth date" in p.reason for p in result.problems)


def test_sanctions_reader_refuses_a_huge_line_without_reading_it(tmp_path):
    path = tmp_path / "sdn.csv"
    huge = "X" * (5 * validation.MAX_LINE)
    empty = ",".join(["-0- "] * 7)
    path.write_text(
        f'1001,"{huge}","individual","BELARUS",{empty},-0- \r\n\x1a\r\n', encoding="utf-8"
    )
    with pytest.raises(ListFormatError, match="line 1: a line longer than"):
        read_ofac_sdn(path).collect()


def test_validation_rules_accept_the_edges_and_refuse_past_them():
    today = dt.date(2026, 12, 5)
    assert validation.check_birth_date(dt.date(2027, 12, 5), "b", today=today)
    with pytest.raises(validation.InputRefused):
        validation.check_birth_date(dt.date(2027, 12, 7), "b", today=today)
    with pytest.raises(validation.InputRefused):
        validation.check_birth_date(dt.date(1899, 12, 31), "b", today=today)
    validation.check_sentence_months(1200, "decision")
    with pytest.raises(validation.InputRefused):
        validation.check_sentence_months(1201, "decision")
    assert validation.check_url(" https://example.org/x ", "url") == "https://example.org/x"
    for bad in ("JavaScript:alert(1)", "data:text/html,x", "//example.org", "http://a b"):
        with pytest.raises(validation.InputRefused):
            validation.check_url(bad, "url")


def test_a_link_with_any_unicode_space_inside_is_refused_as_not_a_link():
    # No-break, em and ideographic spaces, a line separator: every character str.isspace()
    # names, not only the ASCII space.
    for space in ("\u00a0", "\u2003", "\u3000", "\u2028", "\u205f"):
        with pytest.raises(validation.InputRefused, match="not a link"):
            validation.check_url(f"https://example.org/a{space}b", "url")
    assert validation.check_url("https://example.org/a\u200bb", "url")  # zero width: not a space


def test_a_row_of_cells_is_refused_for_its_first_bad_column_as_the_cells_one_by_one_would():
    row = {"id": "1", "name": "Fictional Name", "judge": "A\tB", "description": "x\ty\nz"}
    limits = {"description": validation.MAX_TEXT}
    # A tab in a one-line cell is refused (the first bad column named); in free text it is not.
    with pytest.raises(validation.InputRefused, match="judge: contains a control character"):
        validation.check_cells(row, limits=limits, multiline=("description",))
    row["judge"] = "A B"
    validation.check_cells(row, limits=limits, multiline=("description",))
    with pytest.raises(validation.InputRefused, match="description: contains a control"):
        validation.check_cells(row, limits=limits)
    # Free text longer than a cell, within its own limit, passes; one character more does not.
    row["description"] = "d" * validation.MAX_TEXT
    validation.check_cells(row, limits=limits, multiline=("description",))
    row["description"] += "d"
    with pytest.raises(validation.InputRefused, match="description: 50,001 characters"):
        validation.check_cells(row, limits=limits, multiline=("description",))
    # Over-long and with a control character: the length is named first, as cell by cell.
    row = {"id": "1", "name": "\x00" + "n" * validation.MAX_CELL}
    with pytest.raises(validation.InputRefused, match="name: 5,001 characters"):
        validation.check_cells(row)
    row = {"id": "\u202e1", "name": "n" * (validation.MAX_CELL + 1)}
    with pytest.raises(validation.InputRefused, match="id: contains a control character"):
        validation.check_cells(row)
    validation.check_cells({})
