"""Read a list of persons from any CSV with a column mapping (no Django).

A mapping names, for each of Vigil's list fields, the file's column that holds it:
``name=ФИО,birth_date=Дата рождения,id=№``. Only ``name`` is required; without ``id`` a row's
key is its line number. Every bad row is reported with its line and reason, all at once.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass

from vigil.core.errors import ValidationFailed
from vigil.names.evidence import normalise_gender, parse_birth

#: Vigil's list fields, in the order forms show them. ``name`` is required.
FIELDS: tuple[str, ...] = ("id", "name", "birth_date", "sex", "place", "detained_on")
REQUIRED_FIELDS = ("name",)
#: Bad rows listed in one error message (the count of the rest follows).
ERRORS_SHOWN = 50
MAX_ROWS = 200_000


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True)
class ParsedRow:
    """One good row: its key on the list, the line it came from, and Vigil's fields."""

    key: str
    line: int
    fields: dict[str, str]


class RowsRefused(ValidationFailed):
    """The file has bad rows: each with its line and reason; nothing is written."""

    def __init__(self, name: str, problems: list[RowProblem]) -> None:
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:ERRORS_SHOWN])
        more = len(problems) - ERRORS_SHOWN
        tail = f"; and {more} more bad rows" if more > 0 else ""
        super().__init__(
            f"{name}: {len(problems)} bad row{'s' if len(problems) != 1 else ''}, nothing "
            f"written: {shown}{tail}"
        )


def parse_mapping(text: str) -> dict[str, str]:
    """``name=Col,birth_date=Col 2`` → {"name": "Col", "birth_date": "Col 2"}."""
    mapping: dict[str, str] = {}
    for part in (p for p in text.split(",") if p.strip()):
        field, sep, column = part.partition("=")
        field, column = field.strip(), column.strip()
        if not sep or not column:
            raise ValidationFailed(f"--map: {part.strip()!r} is not FIELD=COLUMN")
        if field not in FIELDS:
            raise ValidationFailed(
                f"--map: unknown field {field!r}; the fields are {', '.join(FIELDS)}"
            )
        if field in mapping:
            raise ValidationFailed(f"--map: {field} is mapped twice")
        mapping[field] = column
    return mapping


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(text[:4096], ",;\t")
    except csv.Error:
        return csv.excel


def read_header(text: str, name: str = "list") -> list[str]:
    """The file's header row (the columns a mapping chooses from)."""
    if not text.strip():
        raise ValidationFailed(f"{name}: the file is empty")
    reader = csv.reader(io.StringIO(text), _dialect(text))
    header = [cell.strip() for cell in next(reader, [])]
    if not any(header):
        raise ValidationFailed(f"{name}: line 1: the header row is empty")
    blank = [j + 1 for j, h in enumerate(header) if not h]
    if blank:
        raise ValidationFailed(f"{name}: line 1: column {blank[0]} of the header has no name")
    repeated = sorted({h for h in header if header.count(h) > 1})
    if repeated:
        raise ValidationFailed(f"{name}: line 1: the column {repeated[0]!r} appears twice")
    return header


def check_mapping(mapping: dict[str, str], header: list[str], name: str = "list") -> None:
    """Refuse a mapping without a name column or naming a column the file does not have."""
    missing = [f for f in REQUIRED_FIELDS if f not in mapping]
    if missing:
        raise ValidationFailed(f"{name}: the mapping needs the {missing[0]} column")
    for field, column in mapping.items():
        if column not in header:
            raise ValidationFailed(
                f"{name}: the mapping takes {field} from {column!r}, which the header "
                f"({', '.join(header)}) does not have"
            )


def read_rows(text: str, mapping: dict[str, str], name: str = "list") -> list[ParsedRow]:
    """The file's rows under ``mapping``; :class:`RowsRefused` lists every bad row."""
    header = read_header(text, name)
    check_mapping(mapping, header, name)
    columns = {field: header.index(column) for field, column in mapping.items()}
    reader = csv.reader(io.StringIO(text), _dialect(text))
    next(reader)
    rows: list[ParsedRow] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) + len(problems) >= MAX_ROWS:
            raise ValidationFailed(f"{name}: more than {MAX_ROWS:,} rows; split the list")
        if len(cells) > len(header):
            problems.append(RowProblem(line, "more cells than header columns"))
            continue
        cells = cells + [""] * (len(header) - len(cells))
        fields = {field: cells[j].strip() for field, j in columns.items()}
        problem = _problem(fields)
        key = fields.pop("id", "") or str(line)
        if problem is None and key in seen:
            problem = f"id {key!r} repeats line {seen[key]}"
        seen.setdefault(key, line)
        if problem is not None:
            problems.append(RowProblem(line, problem))
            continue
        fields["sex"] = normalise_gender(fields.get("sex", ""))
        rows.append(ParsedRow(key, line, {k: v for k, v in fields.items() if v}))
    if problems:
        raise RowsRefused(name, problems)
    if not rows:
        raise ValidationFailed(f"{name}: no persons listed")
    return rows


def _problem(fields: dict[str, str]) -> str | None:
    if "id" in fields and not fields["id"]:
        return "the id is empty"
    if len(fields.get("id", "")) > 200:
        return "the id is longer than 200 characters"
    if not fields.get("name"):
        return "the name is empty"
    for field in ("birth_date", "detained_on"):
        value = fields.get(field, "")
        if value and not parse_birth(value):
            return f"{field} {value!r} is not a date (YYYY-MM-DD, DD.MM.YYYY or a year)"
    sex = fields.get("sex", "")
    if sex and not normalise_gender(sex):
        return f"sex {sex!r} is not m/f/male/female"
    return None


def rows_digest(rows: list[ParsedRow]) -> str:
    """SHA-256 of the rows as read (keys and fields): the same file and mapping, the same digest."""
    payload = json.dumps(
        [[r.key, r.fields] for r in rows], ensure_ascii=False, sort_keys=True
    ).encode()
    return hashlib.sha256(payload).hexdigest()
