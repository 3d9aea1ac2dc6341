"""Schemas and field types shared by every router."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, get_args
from uuid import UUID

from ninja import Field, Schema
from pydantic import StringConstraints

ConfidentialityLevel = Literal["public", "internal", "restricted", "secret"]
Precision = Literal["day", "month", "year", "decade", "unknown"]
# Each Literal that a presenter fills from a stored choice has its members as a tuple, for
# vigil.api.present.choice (tests/api/test_errors_and_paging.py matches them to the models).
PRECISIONS: tuple[Precision, ...] = get_args(Precision)


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
Url = Annotated[
    str, StringConstraints(max_length=500, pattern=r"^(https?://[^\s\x00-\x1f\x7f]+)?$")
]
DateText = Annotated[str, StringConstraints(max_length=60, pattern=_ANY)]
Version = Annotated[int, Field(ge=1, le=2_000_000_000)]


# A column's width as a field type: ``Annotated[str, text(300)]``, written out so that mypy
# reads it as str (a function returning the whole Annotated type is a value, not a type, to mypy).
def text(length: int) -> StringConstraints:
    """Text of at most ``length`` characters (a column's width), no control characters."""
    return StringConstraints(max_length=length, pattern=_ANY)


def nonempty(length: int) -> StringConstraints:
    """Like :func:`text`, with at least one visible character (surrounding blanks dropped)."""
    return StringConstraints(min_length=1, max_length=length, pattern=_SOME, strip_whitespace=True)


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


Reason = Annotated[str, nonempty(2000)]
Title = Annotated[str, nonempty(300)]


class DeleteIn(Schema):
    """A soft delete: the version it was based on and why (records are never erased)."""

    version: Version
    reason: Reason


class DatesIn(Schema):
    """An uncertain date: a day with its precision and optional end, or the text as written."""

    date: dt.date | None = None
    date_precision: Precision | None = None
    date_end: dt.date | None = None
    date_text: DateText | None = Field(
        None,
        description=(
            'The date as written ("2011", "March 2021", "сакавік 2021", "2021-03-01/2021-03-05");'
            " it sets date, date_precision and date_end, and wins over them."
        ),
    )


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
