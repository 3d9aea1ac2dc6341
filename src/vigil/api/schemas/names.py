"""Schemas of the names of persons and organisations, in every script."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from ninja import Schema

from vigil.api.schemas.common import (
    ConfidentialityLevel,
    LanguageTag,
    NonEmptyLine,
    RecordMeta,
    Ref,
    Search,
    Title,
    Version,
    text,
)

ScriptValue = Literal["Cyrl", "Latn", "Zyyy", ""]
NameKindValue = Literal["official", "transliteration", "alias", "previous", "nickname"]
Scheme = Annotated[str, text(40)]


class NameIn(Schema):
    """One name of a person, in one script and language."""

    value: NonEmptyLine
    script: ScriptValue = ""
    lang: LanguageTag = ""
    kind: NameKindValue = "official"
    scheme: Scheme = ""
    is_primary: bool = False


class NameOut(NameIn):
    """A stored name."""

    id: UUID


class NameChange(Schema):
    """A change to a stored name (of a person or an organisation)."""

    version: Version
    value: Title | None = None
    script: ScriptValue | None = None
    lang: LanguageTag | None = None
    kind: NameKindValue | None = None
    scheme: Scheme | None = None
    is_primary: bool | None = None
    confidentiality: ConfidentialityLevel | None = None


class PersonNameCreate(NameIn):
    """A further name of a person; by default as confidential as the person."""

    person: UUID
    confidentiality: ConfidentialityLevel | None = None


class PersonNameOut(RecordMeta):
    """A stored name of a person."""

    person: Ref | None
    value: str
    script: str
    lang: str
    kind: str
    scheme: str
    is_primary: bool


class OrganisationNameCreate(NameIn):
    """A further name of an organisation."""

    organisation: UUID
    confidentiality: ConfidentialityLevel | None = None


class OrganisationNameOut(RecordMeta):
    """A stored name of an organisation."""

    organisation: Ref | None
    value: str
    script: str
    lang: str
    kind: str
    scheme: str
    is_primary: bool


class NameFilters(Schema):
    """Filters of a names list."""

    q: Search | None = None


class PersonNameFilters(NameFilters):
    """Filters of the person names list."""

    person: UUID | None = None


class OrganisationNameFilters(NameFilters):
    """Filters of the organisation names list."""

    organisation: UUID | None = None
