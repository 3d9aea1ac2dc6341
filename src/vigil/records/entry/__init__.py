"""Recording what documenters enter: persons with names in several scripts, an arrest or a
trial in one call (event, acts, charges, perpetrators, counsel, sources), cases, all or
nothing.

The entry forms and the API both call these functions. Every record is written through the
one access policy (``save_checked``) for the acting user, inside the caller's change context
and one transaction: a bad field raises :class:`EntryError` naming it and nothing is saved.
"""

from __future__ import annotations

from vigil.records.entry.arrests import recorded_arrests, same_arrest_date
from vigil.records.entry.cases import CaseInput, create_case, update_case
from vigil.records.entry.events import record_arrest, record_trial
from vigil.records.entry.inputs import (
    MAX_SENTENCE_MONTHS,
    ArrestChoiceNeeded,
    ArrestInput,
    EntryError,
    NameInput,
    OrganisationRef,
    PersonInput,
    PersonRef,
    Recorded,
    SentenceInput,
    SourceInput,
    TrialInput,
)
from vigil.records.entry.persons import create_person, guess_language, guess_script, update_person
from vigil.records.entry.writing import levels_for, may_record

__all__ = [
    "ArrestChoiceNeeded",
    "ArrestInput",
    "CaseInput",
    "EntryError",
    "MAX_SENTENCE_MONTHS",
    "NameInput",
    "OrganisationRef",
    "PersonInput",
    "PersonRef",
    "Recorded",
    "SentenceInput",
    "SourceInput",
    "TrialInput",
    "create_case",
    "create_person",
    "guess_language",
    "guess_script",
    "levels_for",
    "may_record",
    "record_arrest",
    "record_trial",
    "recorded_arrests",
    "same_arrest_date",
    "update_case",
    "update_person",
]
