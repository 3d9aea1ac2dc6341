"""Schemas and field types shared by every router."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

from ninja import Schema
from pydantic import StringConstraints

ConfidentialityLevel = Literal["public", "internal", "restricted", "secret"]
Precision = Literal["day", "month", "year", "decade", "unknown"]


# No control characters (PostgreSQL refuses NUL) except tab and line breaks; the pattern is
# in the published schema, so clients and fuzzers know exactly what is accepted.
_CHAR = r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
_ANY = rf"^{_CHAR}*$"
_SOME = rf"^{_CHAR}*[^\x00-\x1f\x7f-\x9f\s]{_CHAR}*$"

Line = Annotated[str, StringConstraints(max_length=300, pattern=_ANY)]
NonEmptyLine = Annotated[
    str, StringConstraints(min_length=1, max_length=300, pattern=_SOME, strip_whitespace=True)
]
Code = Annotated[str, StringConstraints(max_length=60, pattern=_ANY)]
Note = Annotated[str, StringConstraints(max_length=20_000, pattern=_ANY)]
Search = Annotated[str, StringConstraints(max_length=200, pattern=_ANY)]
CountryCode = Annotated[str, StringConstraints(pattern=r"^([A-Z]{2})?$")]
LanguageTag = Annotated[str, StringConstraints(pattern=r"^([a-z]{2,3}(-[A-Za-z0-9]{1,4})?)?$")]


class ErrorDetail(Schema):
    """Where a request failed validation, and why."""

    loc: list[str]
    msg: str


class ErrorOut(Schema):
    """Every error: a message a user can read, details of invalid input, an id for a 500."""

    error: str
    detail: list[ErrorDetail] | None = None
    id: str | None = None


class Ref(Schema):
    """A record named by id (only records the user may view are named)."""

    id: UUID
    name: str


class TermOut(Schema):
    """A vocabulary term: its stable key and English label."""

    key: str
    label: str


class RecordMeta(Schema):
    """What every record carries: id, version for optimistic locking, confidentiality, times."""

    id: UUID
    version: int
    confidentiality: ConfidentialityLevel
    is_synthetic: bool
    created_at: dt.datetime | None
    updated_at: dt.datetime | None


READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
LIST_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}
