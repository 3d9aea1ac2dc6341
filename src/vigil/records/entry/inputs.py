"""What an entry carries: the typed inputs of the entry services and their result."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from vigil.core.errors import ValidationFailed
from vigil.core.models import Confidentiality, VigilModel
from vigil.records.date_input import DateInput
from vigil.records.models import (
    Act,
    ClaimKind,
    Event,
    NameKind,
    Person,
    Sex,
)

MAX_SENTENCE_MONTHS = Decimal(1200)


_BELARUSIAN_LETTERS = set("іўІЎ")


_RUSSIAN_LETTERS = set("иъщИЪЩ")


class EntryError(ValidationFailed):
    """A field of an entry that cannot be recorded; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class ArrestChoiceNeeded(EntryError):
    """The person already has arrests on other dates (or several on this one): ask the user.

    ``arrests`` are the recorded arrests the user may view, oldest first.
    """

    def __init__(self, arrests: list[Act]) -> None:
        super().__init__(
            "arrest_date",
            _(
                "This person already has an arrest recorded on another date. Choose the recorded "
                "arrest this trial follows, or add a new arrest on the date typed."
            ),
        )
        self.arrests = arrests


# --- inputs -------------------------------------------------------------------------------
@dataclass
class NameInput:
    """One name of a person; script and language are guessed from the letters when blank."""

    value: str
    script: str = ""
    lang: str = ""
    kind: str = NameKind.OFFICIAL.value
    scheme: str = ""
    is_primary: bool = False
    id: uuid.UUID | None = None


@dataclass
class PersonInput:
    """A person as typed in a form: names in several scripts and a few identity fields."""

    names: list[NameInput] = field(default_factory=list)
    display_name: str = ""
    sex: str = Sex.UNKNOWN.value
    birth_date: DateInput | None = None
    birth_place: str = ""
    nationality: str = ""
    notes: str = ""
    confidentiality: str = Confidentiality.INTERNAL.value


@dataclass
class PersonRef:
    """An existing person the user may view (by id), or a new one."""

    person_id: uuid.UUID | None = None
    new: PersonInput | None = None

    @classmethod
    def named(cls, name: str) -> PersonRef:
        """A new person known by one name."""
        return cls(new=PersonInput(names=[NameInput(name)]))


@dataclass
class OrganisationRef:
    """An existing organisation (by id), or one named here (reused when the name exists)."""

    organisation_id: uuid.UUID | None = None
    name: str = ""


@dataclass
class SourceInput:
    """A source cited for everything recorded: an existing one, or a new citation."""

    source_id: uuid.UUID | None = None
    title: str = ""
    url: str = ""
    publisher: str = ""
    source_type: str = ""
    reliability: str = ""
    date: DateInput | None = None
    quote: str = ""
    claim_kind: str = ClaimKind.SOURCE_TEXT.value


@dataclass
class ArrestInput:
    """An arrest in one form: the arrest, the detention that follows and the charges."""

    victim: PersonRef
    date: DateInput | None
    place: str = ""
    agency: OrganisationRef | None = None
    officer: PersonRef | None = None
    officer_role: str = "investigator"
    detained: bool = True
    detention_place: OrganisationRef | None = None
    charges: list[str] = field(default_factory=list)
    counsel: list[PersonRef] = field(default_factory=list)
    sources: list[SourceInput] = field(default_factory=list)
    title: str = ""
    description: str = ""
    confidentiality: str = Confidentiality.INTERNAL.value
    # When the organisation learned of it; blank means the day of entry.
    known_since: dt.date | None = None


@dataclass
class SentenceInput:
    """The sentence handed at a trial."""

    date: DateInput | None = None
    months: Decimal | None = None
    regime: str = ""
    suspended: bool = False
    fine_amount: Decimal | None = None
    fine_unit: str = ""
    text: str = ""


@dataclass
class TrialInput:
    """A trial in one form: trial, sentence, court, judge, prosecutor, charges, counsel."""

    victim: PersonRef
    date: DateInput | None
    court: OrganisationRef | None = None
    judge: PersonRef | None = None
    judge_role: str = "judge"
    prosecutor: PersonRef | None = None
    charges: list[str] = field(default_factory=list)
    sentence: SentenceInput | None = None
    counsel: list[PersonRef] = field(default_factory=list)
    arrest_date: DateInput | None = None
    # The recorded arrest this trial follows (then ``arrest_date`` is not recorded again), or
    # an explicit choice to add a new arrest although the person has others on other dates.
    arrest_id: uuid.UUID | None = None
    new_arrest: bool = False
    sources: list[SourceInput] = field(default_factory=list)
    title: str = ""
    description: str = ""
    confidentiality: str = Confidentiality.INTERNAL.value
    # When the organisation learned of it; blank means the day of entry.
    known_since: dt.date | None = None


@dataclass
class Recorded:
    """What one entry saved."""

    event: Event
    victim: Person
    acts: list[Act]
    created: list[VigilModel]
    # Recorded acts the entry refers to without writing them again (an arrest reused).
    reused: list[Act] = field(default_factory=list)
