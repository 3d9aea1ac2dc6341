"""Reading ZUBR's decisions file: its records, each decision's identity, its fields parsed."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vigil.core.errors import ImportFailed
from vigil.importers import zubr_values as values
from vigil.records.names import normalised_name

FIELDS = (
    "id",
    "event_date",
    "full_name",
    "sex",
    "article",
    "court_date",
    "judge",
    "court",
    "arrest",
    "fine",
    "extra",
)
REQUIRED = ("id", "event_date", "full_name", "sex", "article", "arrest", "fine")

@dataclass(frozen=True)
class Decision:
    """One record of the file, read: its position, ZUBR id, content key and parsed fields."""

    position: int
    zubr_id: str
    key: str
    row: dict[str, str]
    name: values.PersonName
    sex: str
    event_date: dt.date
    court_date: dt.date | None
    judge: values.PersonName | None
    penalty: values.Penalty
    charges: list[values.Charge]

    @property
    def person_key(self) -> tuple[str, str]:
        """What makes two decisions name one person: the normalised name and the sex."""
        return normalised_name(self.name.key_text), self.sex


# --- reading ------------------------------------------------------------------------------


def read_records(path: Path) -> list[Any]:
    """The file's list of decision objects; ImportFailed when it is not one."""
    if not path.is_file():
        raise ImportFailed(f"{path}: no such file")
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise ImportFailed(f"{path.name}: the file is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise ImportFailed(
            f"{path.name}, line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})",
            [(exc.lineno, exc.msg)],
        ) from None
    if not isinstance(data, list):
        raise ImportFailed(f"{path.name}: expected a JSON list of decisions, found {_kind(data)}")
    return data


def count_records(path: Path) -> int | None:
    """How many records the file holds (for the progress bar), or None if it is unreadable."""
    try:
        return len(read_records(path))
    except ImportFailed:
        return None


def _kind(value: Any) -> str:
    kinds: dict[type, str] = {dict: "an object", list: "a list", str: "a string"}
    return kinds.get(type(value), "a value")


def content_key(row: dict[str, str]) -> str:
    """The identity of a decision: a digest of every field but ZUBR's (repeating) id."""
    content = {f: " ".join(str(row.get(f, "")).split()) for f in FIELDS if f != "id"}
    text = json.dumps(content, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def read_decision(position: int, raw: Any) -> Decision:
    """One record, read; ValueError naming the field and the reason."""
    if not isinstance(raw, dict):
        raise ValueError(f"expected an object with the fields of a decision, found {_kind(raw)}")
    unknown = sorted(set(raw) - set(FIELDS))
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(map(repr, unknown))}")
    missing = [f for f in REQUIRED if f not in raw]
    if missing:
        raise ValueError(f"missing field(s) {', '.join(map(repr, missing))}")
    bad = [f for f, v in raw.items() if not isinstance(v, str)]
    if bad:
        raise ValueError(f"{bad[0]}: expected text, found {_kind(raw[bad[0]])}")
    row = {f: raw.get(f, "") for f in FIELDS}
    zubr_id = row["id"].strip()
    if not zubr_id:
        raise ValueError("id: empty (the id is the decision's locator)")
    judge = row["judge"].strip()
    return Decision(
        position=position,
        zubr_id=zubr_id,
        key=content_key(row),
        row=row,
        name=values.parse_name(row["full_name"], "full_name"),
        sex=values.parse_sex(row["sex"]),
        event_date=_required(values.parse_date(row["event_date"], "event_date", required=True)),
        court_date=values.parse_date(row["court_date"], "court_date", required=False),
        judge=values.parse_name(judge, "judge") if judge else None,
        penalty=values.parse_penalty(row["arrest"], row["fine"]),
        charges=values.parse_charges(row["article"]),
    )


def _required(day: dt.date | None) -> dt.date:
    assert day is not None
    return day
