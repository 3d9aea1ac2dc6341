"""The record: who did what to whom (HURIDOCS events model)."""

from vigil.records.models.actors import (
    ExternalId,
    Organisation,
    OrganisationName,
    Person,
    PersonName,
    Profession,
    Sex,
)
from vigil.records.models.cases import Case, Intervention, Qualifier, Statistic
from vigil.records.models.events import (
    Act,
    ActCharge,
    ActStatus,
    Counsel,
    Event,
    EventLink,
    Inchoate,
    Involvement,
    Participant,
)
from vigil.records.models.fields import DatePrecision, NameKind, Script
from vigil.records.models.legal import LegalAmendment, LegalCode, LegalProvision
from vigil.records.models.merges import PersonMerge
from vigil.records.models.sources import ClaimKind, CustodyEvent, Evidence, Information, Source
from vigil.records.models.stored_custody import StoredCustody
from vigil.records.models.vocab import Term

__all__ = [
    "Act",
    "ActCharge",
    "ActStatus",
    "Case",
    "ClaimKind",
    "Counsel",
    "CustodyEvent",
    "DatePrecision",
    "Event",
    "EventLink",
    "Evidence",
    "ExternalId",
    "Inchoate",
    "Information",
    "Intervention",
    "Involvement",
    "LegalAmendment",
    "LegalCode",
    "LegalProvision",
    "NameKind",
    "Organisation",
    "OrganisationName",
    "Participant",
    "Person",
    "PersonMerge",
    "PersonName",
    "Profession",
    "Qualifier",
    "Script",
    "Sex",
    "Source",
    "Statistic",
    "StoredCustody",
    "Term",
]
