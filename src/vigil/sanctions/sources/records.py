"""The common shape every sanctions-list reader produces, and its errors."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field, fields
from typing import Any

NAME_KINDS = ("primary", "alias", "weak_alias", "previous")

# FtM property that holds each kind of name.
NAME_PROPERTIES = {
    "primary": "name",
    "alias": "alias",
    "weak_alias": "weakAlias",
    "previous": "previousName",
}

_NOT_CONTENT = ("line", "raw_fingerprint")
_UNSAFE_ID_CHARS = re.compile(r"[^0-9A-Za-z.-]+")


class ListFormatError(ValueError):
    """The file is not a readable list of the expected kind (or it ends too early)."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class RowProblem:
    """A row or value a reader could not use; the reason says whether the row was skipped."""

    line: int
    reason: str
    entity_id: str | None = None


@dataclass(frozen=True)
class NameForm:
    """One name of a listed entity, with its kind (primary, alias, weak_alias, previous)."""

    value: str
    kind: str

    def __post_init__(self) -> None:
        if self.kind not in NAME_KINDS:
            raise ValueError(f"unknown name kind {self.kind!r}")


@dataclass(frozen=True)
class ListedRecord:
    """One entry of a sanctions list in the shape Vigil stores and screens."""

    list_kind: str
    entity_id: str
    schema: str
    names: tuple[NameForm, ...]
    birth_dates: tuple[str, ...] = ()
    birth_places: tuple[str, ...] = ()
    gender: str | None = None
    nationalities: tuple[str, ...] = ()
    positions: tuple[str, ...] = ()
    programme: str | None = None
    listing_date: str | None = None
    measures: tuple[str, ...] = ()
    reason: str | None = None
    line: int = 0
    raw_fingerprint: str = field(default="", compare=False)

    @classmethod
    def create(cls, **values: Any) -> ListedRecord:
        """Build a record with its content fingerprint computed."""
        record = cls(**values)
        # The dataclass is frozen; the fingerprint is part of building it, not a later change.
        object.__setattr__(record, "raw_fingerprint", content_fingerprint(record))
        return record

    @property
    def ftm_id(self) -> str:
        """The FollowTheMoney id: `{list_kind}-{entity_id}` with unsafe characters replaced."""
        return safe_entity_id(f"{self.list_kind}-{self.entity_id}")

    @property
    def primary_name(self) -> str:
        """The first primary name (every reader gives each record one)."""
        first = self.names[0]
        if first.kind == "primary":  # where every reader puts it
            return first.value
        return next((n.value for n in self.names if n.kind == "primary"), self.names[0].value)

    def names_of(self, kind: str) -> tuple[str, ...]:
        """The name values of one kind, in source order."""
        return tuple(n.value for n in self.names if n.kind == kind)

    def to_ftm(self) -> Any:
        """The record as a followthemoney entity proxy."""
        from vigil.sanctions.sources.ftm_entities import record_to_entity

        return record_to_entity(self)

    def to_ftm_sanction(self) -> Any:
        """The listing itself (programme, date, measures, reason) as an FtM Sanction entity."""
        from vigil.sanctions.sources.ftm_entities import record_to_sanction

        return record_to_sanction(self)


@dataclass(frozen=True)
class ReadResult:
    """Everything read from one file, collected in memory (small files and tests)."""

    records: list[ListedRecord]
    problems: list[RowProblem]
    source_version: str | None


def clean_text(value: str | None) -> str:
    """NFC-normalise and collapse whitespace; the form every reader stores."""
    if not value:
        return ""
    return " ".join(unicodedata.normalize("NFC", value).split())


def unique(values: Any) -> tuple[str, ...]:
    """Cleaned, non-empty values in first-seen order, without repeats."""
    if type(values) is list and not values:  # most multi-valued fields of most records
        return ()
    seen: dict[str, None] = {}
    normalize = unicodedata.normalize
    for value in values:
        # clean_text, inlined: readers call this for every multi-valued field of every row.
        if value:
            text = " ".join(normalize("NFC", value).split())
            if text:
                seen[text] = None  # a repeat keeps its first place
    return tuple(seen)


def content_fingerprint(record: ListedRecord) -> str:
    """SHA-256 of the record's content; the source line is left out so moves don't count.

    The content is the JSON object of every field but ``line`` (names as ``[value, kind]``
    pairs), keys sorted, no spaces, not ASCII-escaped: stored fingerprints are compared with
    new ones on every re-import, so this text must not change (tests pin known values).
    """
    try:
        payload = _content_json(record)
    except TypeError:  # a value of another type than the fields declare: the encoder's way
        content = {name: getattr(record, name) for name in _CONTENT_FIELDS}
        content["names"] = [[name.value, name.kind] for name in record.names]
        payload = _encode_content(content)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


_CONTENT_FIELDS = tuple(f.name for f in fields(ListedRecord) if f.name not in _NOT_CONTENT)
_encode_content = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":")
).encode
_quote = json.encoder.encode_basestring  # a string as that encoder writes it


def _optional(value: str | None) -> str:
    return "null" if value is None else _quote(value)


def _strings(values: tuple[str, ...]) -> str:
    if type(values) is not tuple:
        raise TypeError("not a tuple")
    if not values:  # most multi-valued fields of most records
        return "[]"
    return "[" + ",".join(map(_quote, values)) + "]"


def _content_json(r: ListedRecord) -> str:
    """What ``_encode_content`` gives for the record's content, written out field by field
    (a third of the time); ``TypeError`` for a value not of its declared type."""
    names = ",".join(["[" + _quote(n.value) + "," + _quote(n.kind) + "]" for n in r.names])
    return (
        f'{{"birth_dates":{_strings(r.birth_dates)},"birth_places":{_strings(r.birth_places)}'
        f',"entity_id":{_quote(r.entity_id)},"gender":{_optional(r.gender)}'
        f',"list_kind":{_quote(r.list_kind)},"listing_date":{_optional(r.listing_date)}'
        f',"measures":{_strings(r.measures)},"names":[{names}]'
        f',"nationalities":{_strings(r.nationalities)},"positions":{_strings(r.positions)}'
        f',"programme":{_optional(r.programme)},"reason":{_optional(r.reason)}'
        f',"schema":{_quote(r.schema)}}}'
    )


# The keys _content_json writes, in its order: every content field, sorted.
_WRITTEN = (
    "birth_dates birth_places entity_id gender list_kind listing_date measures names "
    "nationalities positions programme reason schema"
).split()
if _WRITTEN != sorted(_CONTENT_FIELDS):  # pragma: no cover - a field added to ListedRecord
    raise RuntimeError("content_fingerprint: _content_json must write every content field")


def safe_entity_id(raw: str) -> str:
    """An id FollowTheMoney accepts; a rewritten id gets a hash suffix so ids stay distinct."""
    safe = _UNSAFE_ID_CHARS.sub("-", raw).strip("-.")
    if safe == raw and safe:
        return safe
    digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()[:10]
    return f"{safe}-{digest}" if safe else digest


def short_hash(*parts: str) -> str:
    """A stable 16-hex-digit hash of cleaned, case-folded text parts."""
    text = "\x1f".join(clean_text(p).casefold() for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
