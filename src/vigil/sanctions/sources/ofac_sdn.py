"""Reader for OFAC's SDN list in its legacy CSV form (sdn.csv with alt.csv beside it)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from vigil.sanctions.sources.ofac_remarks import parse_remarks
from vigil.sanctions.sources.reading import Reading
from vigil.sanctions.sources.records import (
    ListedRecord,
    ListFormatError,
    NameForm,
    clean_text,
    unique,
)
from vigil.sanctions.sources.text_lines import CsvRow, csv_rows, decoded_lines

LIST_KIND = "ofac-sdn"
SDN_FIELDS = 12
ALT_FIELDS = 5
END_MARKER = "\x1a"
EMPTY = "-0-"
SCHEMAS = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane", "": "LegalEntity"}
ALIAS_KINDS = {"aka": "alias", "nka": "alias", "fka": "previous"}
# ASCII digits only: str.isdigit() also accepts "²" and other digits int() refuses.
ENTRY_NUMBER = re.compile(r"[0-9]{1,18}")


def read_ofac_sdn(path: Path, programme: str | None = None) -> Reading:
    """SDN entries (aliases from the alt.csv beside the file), optionally of one programme."""
    return Reading(path, lambda reading: _parse(reading, programme))


def _parse(reading: Reading, programme: str | None) -> Iterator[ListedRecord]:
    """Merge sdn.csv with alt.csv (both sorted by ent_num) in one streaming pass."""
    aliases = _AliasCursor(reading, reading.path.with_name("alt.csv"))
    take, create = aliases.take, ListedRecord.create
    for line, cells in _data_rows(reading, reading.path, SDN_FIELDS):
        entity_id = cells[0].strip()  # an entry number (_data_rows checked it)
        # `_value` of each cell, inlined: five cells of every row of the list.
        primary = cells[1].strip()
        names = [NameForm(clean_text(primary), "primary")] if primary and primary != EMPTY else []
        names.extend(take(int(entity_id)))
        if not names or names[0].kind != "primary":
            reading.problem(line, "empty name; row skipped", entity_id)
            continue
        programmes = _programmes(cells[3])
        if programme is not None and programme not in programmes:
            continue
        sdn_type = cells[2].strip().lower()
        if sdn_type not in SCHEMAS:
            if sdn_type != EMPTY:
                reading.problem(line, f"unknown SDN type {sdn_type!r}; row skipped", entity_id)
                continue
            sdn_type = ""
        remarks_text = cells[11].strip()
        remarks = parse_remarks("" if remarks_text == EMPTY else remarks_text)
        if remarks.names:
            names.extend(NameForm(clean_text(value), kind) for value, kind in remarks.names)
        for text in remarks.unread_dates:
            reading.problem(line, f"unreadable DOB {text!r} left out", entity_id)
        positions = cells[4].strip()
        yield create(
            list_kind=LIST_KIND,
            entity_id=entity_id,
            schema=SCHEMAS[sdn_type],
            names=tuple(dict.fromkeys(names)) if len(names) > 1 else tuple(names),
            birth_dates=unique(remarks.birth_dates),
            birth_places=unique(remarks.birth_places),
            gender=remarks.gender,
            nationalities=unique(remarks.nationalities),
            positions=() if positions == EMPTY else unique(positions.split(";")),
            programme="; ".join(programmes) or None,
            line=line,
        )
    aliases.finish()


class _AliasCursor:
    """Walks alt.csv alongside sdn.csv, handing each entry the aliases with its ent_num."""

    def __init__(self, reading: Reading, path: Path) -> None:
        self.reading = reading
        self.rows: Iterator[tuple[int, list[str]]] | None = None
        self.pending: tuple[int, int, list[str]] | None = None
        self.last_key = -1
        if path.is_file():
            self.rows = _data_rows(reading, path, ALT_FIELDS)
            self._advance()
        else:
            reading.problem(0, "alt.csv not found beside sdn.csv: entries have no aliases")

    def take(self, ent_num: int) -> list[NameForm]:
        """The aliases of `ent_num`; aliases of numbers never reached are reported."""
        names: list[NameForm] = []
        pending = self.pending
        while pending is not None and pending[0] <= ent_num:
            key, line, cells = pending
            if key < ent_num:
                self.reading.problem(line, f"alt.csv: alias of unknown entry {key}; skipped")
            else:
                value = _value(cells[3])
                if value:
                    kind = ALIAS_KINDS.get(_value(cells[2]).lower(), "alias")
                    names.append(NameForm(clean_text(value), kind))
            self._advance()
            pending = self.pending
        return names

    def finish(self) -> None:
        """Report aliases left after the last entry."""
        self.take(2**63)

    def _advance(self) -> None:
        """Move to the next alias row, checking alt.csv stays sorted by ent_num."""
        self.pending = None
        if self.rows is None:
            return
        for line, cells in self.rows:
            key = int(cells[0])  # an entry number (_data_rows checked it)
            if key < self.last_key:
                self.reading.problem(
                    line, f"alt.csv: not sorted by ent_num at entry {key}; alias skipped"
                )
                continue
            self.last_key = key
            self.pending = (key, line, cells)
            return


def _data_rows(reading: Reading, path: Path, width: int) -> Iterator[tuple[int, list[str]]]:
    """Rows of a legacy OFAC CSV with a numeric first cell, up to the Ctrl-Z end marker."""
    label = path.name
    seen_row = False
    last_line = 0
    for row in csv_rows(decoded_lines(path, fallback="cp1252")):
        first_line, last_line, cells, error = row
        if cells and cells[0] == END_MARKER and cells[1:] in ([], [""]):
            return
        if not seen_row:
            _check_first_row(row, label, width)
            seen_row = True
        if error:
            reading.problem(first_line, f"{label}: {error}; row skipped")
            continue
        # A row of the right width led by an entry number (the usual case) is not blank.
        if len(cells) == width and ENTRY_NUMBER.fullmatch(cells[0].strip()) is not None:
            yield first_line, cells
            continue
        if not any(cell.strip() for cell in cells):
            continue
        reading.problem(
            first_line,
            f"{label}: expected {width} fields starting with an entry number, "
            f"found {len(cells)}; row skipped",
        )
    if not seen_row:
        raise ListFormatError(1, f"{label}: empty file, expected OFAC legacy CSV rows")
    raise ListFormatError(
        last_line,
        f"{label}: no Ctrl-Z end-of-file marker after line {last_line}; the file looks truncated",
    )


def _check_first_row(row: CsvRow, label: str, width: int) -> None:
    """Refuse a file whose first row is not a legacy OFAC row of `width` fields."""
    if row.error or len(row.cells) != width or not _entry_number(row.cells[0]):
        raise ListFormatError(
            row.first_line,
            f"{label}: not an OFAC legacy CSV (expected {width} fields, the first an entry "
            "number, and no header row)",
        )


def _entry_number(cell: str) -> bool:
    """Whether the cell is an OFAC entry number (ASCII digits, small enough for an integer)."""
    return ENTRY_NUMBER.fullmatch(_value(cell)) is not None


def _value(cell: str) -> str:
    """The cell's text, with OFAC's `-0-` empty marker read as empty."""
    text = cell.strip()
    return "" if text == EMPTY else text


def _programmes(cell: str) -> list[str]:
    """`IRAN] [SDGT` (the legacy CSV drops the outer brackets) as `["IRAN", "SDGT"]`."""
    text = _value(cell).strip("[] ")
    return [part.strip() for part in text.split("] [") if part.strip()]
