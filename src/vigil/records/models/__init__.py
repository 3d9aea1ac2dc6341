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

# Not a record (no history, no confidentiality of its own): derived custody per person and
# ceiling, read only through vigil.records.custody_store, so not listed in __all__ (the admin
# and the record-model sweeps cover records) but imported so that Django registers it.
from vigil.records.models.stored_custody import StoredCustody  # noqa: F401
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
    "Term",
]
