"""Reader for the EU Belarus regime (Regulation 765/2006) in OpenSanctions' journal CSV."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from vigil.sanctions.sources.dates import EU_FORMATS, parse_alternatives, parse_date
from vigil.sanctions.sources.reading import Reading
from vigil.sanctions.sources.records import (
    ListedRecord,
    ListFormatError,
    NameForm,
    clean_text,
    short_hash,
    unique,
)
from vigil.sanctions.sources.text_lines import CsvRow, csv_rows, decoded_lines, split_cell

LIST_KIND = "eu-765"

CONSOLIDATED_HEADER = (
    "celex,recordId,programKey,annex,measure,startDate,reason,schema,name,alias,weakAlias,"
    "previousName,country,nationality,jurisdiction,birthDate,birthPlace,position,passportNumber,"
    "gender,appearance,ethnicity,fatherName,motherName,incorporationDate,legalForm,sector,"
    "registrationNumber,taxNumber,idNumber,innCode,ogrnCode,kppCode,okpoCode,leiCode,swiftBic,"
    "ticker,imoNumber,mmsi,flag,address,phone,email,website,notes"
).split(",")
# Amendment files carry two CELEX columns in place of `celex`; the rest is the same.
AMENDMENT_HEADER = ["amendedCelex", "amendmentCelex", *CONSOLIDATED_HEADER[1:]]

SCHEMAS = ("Person", "LegalEntity", "Organization", "Company", "Vessel", "Asset")
NAME_COLUMNS = (("alias", "alias"), ("weakAlias", "weak_alias"), ("previousName", "previous"))


def read_eu_765(path: Path) -> Reading:
    """Entries of an EU journal-sanctions CSV (consolidated or amendment), streamed."""
    return Reading(path, _parse)


def _parse(reading: Reading) -> Iterator[ListedRecord]:
    """Check the header, then turn each data row into a record."""
    rows = csv_rows(decoded_lines(reading.path))
    header = next(rows, None)
    if header is None:
        raise ListFormatError(1, "empty file: expected the EU journal-sanctions CSV header")
    if header.cells not in (CONSOLIDATED_HEADER, AMENDMENT_HEADER):
        raise ListFormatError(
            1, "not an EU journal-sanctions CSV: the header does not match FORMAT's columns"
        )
    columns = header.cells
    for row in rows:
        if row.error:
            reading.problem(row.first_line, f"{row.error} ({_span(row)}); row skipped")
            continue
        if not any(cell.strip() for cell in row.cells):
            continue
        if len(row.cells) != len(columns):
            reading.problem(
                row.first_line,
                f"expected {len(columns)} fields, found {len(row.cells)} "
                f"({_span(row)}); row skipped",
            )
            continue
        record = _record(reading, dict(zip(columns, row.cells, strict=True)), row.first_line)
        if record is not None:
            yield record


def _record(reading: Reading, cells: dict[str, str], line: int) -> ListedRecord | None:
    """One row as a record, or None (with a problem noted) when it cannot be used."""
    name = clean_text(cells["name"])
    schema = cells["schema"].strip()
    annex = cells["annex"].strip()
    if not name:
        reading.problem(line, "empty name; row skipped")
        return None
    if schema not in SCHEMAS:
        reading.problem(line, f"unknown schema {schema!r}; row skipped")
        return None
    record_id = cells["recordId"].strip()
    # Without a printed id, the primary name alone keys the row: alias edits keep the same id.
    entity_id = f"{annex}/{record_id}" if record_id else f"{annex}/{short_hash(name)}"
    names = [NameForm(name, "primary")]
    for column, kind in NAME_COLUMNS:
        names.extend(NameForm(value, kind) for value in unique(split_cell(cells[column])))
    birth_dates: list[str] = []
    for text in split_cell(cells["birthDate"]):
        dates, unread = parse_alternatives(text, EU_FORMATS)
        birth_dates.extend(dates)
        for piece in unread:
            reading.problem(line, f"unreadable birth date {piece!r} left out", entity_id)
    listing_date = None
    if cells["startDate"].strip():
        listing_date = parse_date(cells["startDate"], EU_FORMATS)
        if listing_date is None:
            reading.problem(line, f"unreadable startDate {cells['startDate']!r}", entity_id)
    gender = clean_text(cells["gender"]).lower() or None
    return ListedRecord.create(
        list_kind=LIST_KIND,
        entity_id=entity_id,
        schema=schema,
        names=tuple(dict.fromkeys(names)),
        birth_dates=unique(birth_dates),
        birth_places=unique(split_cell(cells["birthPlace"])),
        gender=gender,
        nationalities=unique(split_cell(cells["nationality"])),
        positions=unique(split_cell(cells["position"])),
        programme=clean_text(cells["programKey"]) or None,
        listing_date=listing_date,
        measures=unique([cells["measure"]]),
        reason=clean_text(cells["reason"]) or None,
        line=line,
    )


def _span(row: CsvRow) -> str:
    """`line 5` or `lines 5-9`: the physical lines a CSV record covered."""
    if row.first_line == row.last_line:
        return f"line {row.first_line}"
    return f"lines {row.first_line}-{row.last_line}"
