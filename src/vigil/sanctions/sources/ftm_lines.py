"""Reader for FollowTheMoney entities, one JSON object per line (OpenSanctions exports)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import prefixdate

from vigil.sanctions.sources.reading import Reading
from vigil.sanctions.sources.records import (
    NAME_PROPERTIES,
    ListedRecord,
    ListFormatError,
    NameForm,
    unique,
)
from vigil.sanctions.sources.text_lines import decoded_lines

LIST_KIND = "ftm"
# Person, Organization, Company and PublicBody are all LegalEntity in FtM's schema tree.
KEPT_ROOT = "LegalEntity"


def read_ftm(path: Path, list_kind: str = LIST_KIND) -> Reading:
    """Persons and organisations of an FtM JSON-lines file; other schemata are passed over."""
    return Reading(path, lambda reading: _parse(reading, list_kind))


def _parse(reading: Reading, list_kind: str) -> Iterator[ListedRecord]:
    """Parse line by line; the first entity decides whether this is an FtM file at all."""
    # Loading FtM's model takes seconds: only this reader needs it, and only when used.
    from followthemoney import model

    seen_entity = False
    for number, line in enumerate(decoded_lines(reading.path), start=1):
        if not line.strip():
            continue
        data = _entity_data(line)
        if isinstance(data, str):
            if not seen_entity:
                raise ListFormatError(number, f"not a FollowTheMoney JSON-lines file: {data}")
            reading.problem(number, f"{data}; line skipped")
            continue
        seen_entity = True
        schema = model.get(data["schema"])
        if schema is None:
            reading.problem(number, f"unknown schema {data['schema']!r}; line skipped")
            continue
        if not schema.is_a(KEPT_ROOT):
            continue
        record = _record(reading, data, schema.name, list_kind, number)
        if record is not None:
            yield record
    if not seen_entity:
        raise ListFormatError(1, "empty file: expected FollowTheMoney entities, one per line")


def _entity_data(line: str) -> dict[str, Any] | str:
    """The decoded entity, or a reason it is not one."""
    try:
        data = json.loads(line)
    except ValueError as error:
        return f"invalid JSON ({error})"
    if not isinstance(data, dict):
        return "a JSON value that is not an object"
    if not isinstance(data.get("id"), str) or not data["id"]:
        return "an entity without an id"
    if not isinstance(data.get("schema"), str):
        return "an entity without a schema"
    if not isinstance(data.get("properties", {}), dict):
        return "an entity whose properties are not an object"
    return data


def _record(
    reading: Reading, data: dict[str, Any], schema: str, list_kind: str, line: int
) -> ListedRecord | None:
    """One entity as a record, or None (with a problem noted) when it has no name."""
    properties: dict[str, Any] = data.get("properties") or {}
    entity_id: str = data["id"]
    names: list[NameForm] = []
    for kind, prop in NAME_PROPERTIES.items():
        names.extend(NameForm(value, kind) for value in unique(_strings(properties, prop)))
    if not names or names[0].kind != "primary":
        reading.problem(line, "entity without a name; line skipped", entity_id)
        return None
    sanctions = [s.get("properties") or {} for s in _nested(properties, "sanctions")]
    programmes = unique(_strings(properties, "programId"))
    programmes += unique(v for s in sanctions for v in _strings(s, "programId", "program"))
    genders = _strings(properties, "gender")
    return ListedRecord.create(
        list_kind=list_kind,
        entity_id=entity_id,
        schema=schema,
        names=tuple(dict.fromkeys(names)),
        birth_dates=unique(_iso_dates(_strings(properties, "birthDate"))),
        birth_places=unique(_strings(properties, "birthPlace")),
        gender=genders[0].lower() if genders else None,
        nationalities=unique(_strings(properties, "nationality", "citizenship")),
        positions=unique(_strings(properties, "position")),
        programme="; ".join(unique(programmes)) or None,
        listing_date=next(
            iter(sorted(_iso_dates(v for s in sanctions for v in _strings(s, "listingDate")))),
            None,
        ),
        measures=unique(v for s in sanctions for v in _strings(s, "provisions")),
        reason=next(iter(unique(v for s in sanctions for v in _strings(s, "reason"))), None),
        line=line,
    )


def _strings(properties: dict[str, Any], *names: str) -> list[str]:
    """The string values of some properties (a stray non-list value is taken as one)."""
    values: list[str] = []
    for name in names:
        raw = properties.get(name) or []
        for value in raw if isinstance(raw, list) else [raw]:
            if isinstance(value, str):
                values.append(value)
    return values


def _nested(properties: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """Nested entities of a property (OpenSanctions' `targets.nested.json` shape)."""
    raw = properties.get(name) or []
    return [v for v in raw if isinstance(v, dict)] if isinstance(raw, list) else []


def _iso_dates(values: Any) -> list[str]:
    """ISO date prefixes; anything else is dropped."""
    dates = []
    for value in values:
        text = prefixdate.parse(value).text
        if text:
            dates.append(text)
    return dates
