"""A list of persons to link: CSV rows of id, name and optional birth_date and sex."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from vigil.core.errors import ValidationFailed
from vigil.names.evidence import normalise_gender, parse_birth

REQUIRED = ("id", "name")


@dataclass(frozen=True)
class ListedPerson:
    """One row of a list: its id on that list, the name as written, birth date and sex."""

    id: str
    name: str
    birth_date: str = ""
    sex: str = ""


def read_person_list(path: Path) -> list[ListedPerson]:
    """Read a person list; a bad row is refused naming its line and reason."""
    if not path.is_file():
        raise ValidationFailed(f"{path}: no such file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(f"{path.name}: not UTF-8 text ({exc.reason})") from exc
    return parse_person_list(text, name=path.name)


def parse_person_list(text: str, name: str = "list") -> list[ListedPerson]:
    """Parse the CSV text of a person list (header first)."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ValidationFailed(
            f"{name}: line 1: needs the columns id,name (optional birth_date, sex); "
            f"missing {', '.join(missing)}"
        )
    reader.fieldnames = header
    people: list[ListedPerson] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            raise ValidationFailed(f"{name}: line {line}: more cells than header columns")
        person_id = (row.get("id") or "").strip()
        person_name = (row.get("name") or "").strip()
        birth = (row.get("birth_date") or "").strip()
        sex = (row.get("sex") or "").strip()
        if not person_id:
            raise ValidationFailed(f"{name}: line {line}: the id is empty")
        if person_id in seen:
            raise ValidationFailed(
                f"{name}: line {line}: id {person_id!r} repeats line {seen[person_id]}"
            )
        if not person_name:
            raise ValidationFailed(f"{name}: line {line}: the name is empty")
        if birth and not parse_birth(birth):
            raise ValidationFailed(
                f"{name}: line {line}: birth_date {birth!r} is not a date "
                "(YYYY-MM-DD, DD.MM.YYYY or a year)"
            )
        if sex and not normalise_gender(sex):
            raise ValidationFailed(f"{name}: line {line}: sex {sex!r} is not m/f/male/female")
        seen[person_id] = line
        people.append(ListedPerson(person_id, person_name, birth, normalise_gender(sex)))
    if not people:
        raise ValidationFailed(f"{name}: no persons listed")
    return people
