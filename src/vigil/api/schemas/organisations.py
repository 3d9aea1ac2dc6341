"""Schemas of organisations (courts, prisons, ministries, bar associations, NGOs, states)."""

from __future__ import annotations

from uuid import UUID

from ninja import Field, Schema

from vigil.api.schemas.common import (
    Code,
    ConfidentialityLevel,
    CountryCode,
    Note,
    RecordMeta,
    Ref,
    Search,
    TermOut,
    Title,
    Version,
)
from vigil.api.schemas.names import NameIn, NameOut


class OrganisationCreate(Schema):
    """A new organisation: court, prison, ministry, bar association, NGO, UN body, state."""

    display_name: Title
    names: list[NameIn] = Field(default_factory=list, max_length=50)
    kind: Code | None = Field(None, description="A key of the organisation_kind vocabulary.")
    parent: UUID | None = None
    country: CountryCode = ""
    notes: Note = ""
    confidentiality: ConfidentialityLevel = "internal"


class OrganisationUpdate(Schema):
    """A change to an organisation; ``version`` is the version the change was based on."""

    version: Version
    display_name: Title | None = None
    kind: Code | None = None
    parent: UUID | None = None
    country: CountryCode | None = None
    notes: Note | None = None
    confidentiality: ConfidentialityLevel | None = None


class OrganisationOut(RecordMeta):
    """An organisation with the names the user may see."""

    display_name: str
    kind: TermOut | None
    parent: Ref | None
    country: str
    notes: str
    names: list[NameOut]


class OrganisationFilters(Schema):
    """Filters of the organisations list."""

    q: Search | None = None
    kind: Code | None = None
    country: CountryCode | None = None
    confidentiality: ConfidentialityLevel | None = None
