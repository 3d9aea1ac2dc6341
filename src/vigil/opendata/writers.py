"""Writing the open data to a folder as CSV files, one JSON document, or FtM entities."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from vigil.core.errors import ValidationFailed
from vigil.core.spreadsheet import SafeCsvWriter
from vigil.opendata.datasets import DATASETS, TERM_FIELDS, collect, exported_fields
from vigil.opendata.ftm import entities

FORMATS = ("csv", "json", "ftm")
NOTICE = (
    "Published records of a Vigil database: only records marked public, never synthetic demo "
    "records or deleted ones, and only an allow-listed set of fields (no identity or witness "
    "fields). References to records that are not published are left empty."
)


def _columns() -> dict[str, tuple[str, ...]]:
    found = {d.name: exported_fields(d) for d in DATASETS}
    found["terms"] = TERM_FIELDS
    return found


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def write_csv(data: dict[str, list[dict[str, Any]]], folder: Path) -> list[Path]:
    """One CSV file per dataset."""
    written = []
    for name, columns in _columns().items():
        path = folder / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = SafeCsvWriter(handle)
            writer.writerow(columns)
            for row in data[name]:
                writer.writerow([_text(row[c]) for c in columns])
        written.append(path)
    return written


def write_json(data: dict[str, list[dict[str, Any]]], folder: Path) -> list[Path]:
    """One JSON document holding every dataset."""
    path = folder / "vigil-open-data.json"
    body = {
        "generated": dt.date.today().isoformat(),
        "notice": NOTICE,
        "columns": {k: list(v) for k, v in _columns().items()},
        "datasets": data,
    }
    path.write_text(
        json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return [path]


def write_ftm(data: dict[str, list[dict[str, Any]]], folder: Path) -> list[Path]:
    """FollowTheMoney entities, one JSON object per line."""
    path = folder / "vigil-open-data.ftm.json"
    with path.open("w", encoding="utf-8") as handle:
        for entity in entities(data):
            handle.write(json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
    return [path]


WRITERS = {"csv": write_csv, "json": write_json, "ftm": write_ftm}


def export_open_data(folder: Path, format: str = "csv") -> list[Path]:  # noqa: A002
    """Write the published open data to ``folder`` in ``format``; return the files written."""
    if format not in WRITERS:
        raise ValidationFailed(f"Open data is written as {', '.join(FORMATS)}.")
    folder.mkdir(parents=True, exist_ok=True)
    data = collect()
    files = WRITERS[format](data, folder)
    readme = folder / "README.txt"
    counts = "\n".join(f"  {name}: {len(rows)} rows" for name, rows in data.items())
    readme.write_text(
        f"Vigil open data, generated {dt.date.today().isoformat()}.\n\n{NOTICE}\n\n{counts}\n",
        encoding="utf-8",
    )
    return [*files, readme]
