"""Recording what documenters enter: persons with names in several scripts, an arrest or a
trial in one call (event, acts, charges, perpetrators, counsel, sources), all or nothing.

The entry forms and the API both call these functions. Every record is written through the
one access policy (``save_checked``) for the acting user, inside the caller's change context
and one transaction: a bad field raises :class:`EntryError` naming it and nothing is saved.
"""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext as _

from vigil.core.errors import Forbidden, ValidationFailed
from vigil.core.models import Confidentiality, VigilModel
from vigil.policy.access import restrict, role_of, save_checked
from vigil.policy.rules import LEVELS, Scope, scope_for
from vigil.records.citations import CitationError, parse_citation
from vigil.records.date_input import DateInput
from vigil.records.models import (
    Act,
    ActCharge,
    ActStatus,
    ClaimKind,
    Counsel,
    DatePrecision,
    Event,
    Information,
    Involvement,
    LegalProvision,
    NameKind,
    Organisation,
    Person,
    PersonName,
    Script,
    Sex,
    Source,
    Term,
)

MAX_SENTENCE_MONTHS = Decimal(1200)
_BELARUSIAN_LETTERS = set("іўІЎ")
_RUSSIAN_LETTERS = set("иъщИЪЩ")


class EntryError(ValidationFailed):
    """A field of an entry that cannot be recorded; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


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
    sources: list[SourceInput] = field(default_factory=list)
    title: str = ""
    description: str = ""
    confidentiality: str = Confidentiality.INTERNAL.value


@dataclass
class Recorded:
    """What one entry saved."""

    event: Event
    victim: Person
    acts: list[Act]
    created: list[VigilModel]


# --- policy helpers -------------------------------------------------------------------------
def may_record(user: Any) -> bool:
    """Whether ``user`` may add records at all (documenters, analysts, coordinators, admins)."""
    role = role_of(user)
    return role is not None and any(
        scope_for(role, "add", level) is not Scope.NONE for level in LEVELS
    )


def levels_for(user: Any) -> list[str]:
    """The confidentiality levels ``user`` may record at, least protected first."""
    role = role_of(user)
    if role is None:
        return []
    return [level for level in LEVELS if scope_for(role, "add", level) is not Scope.NONE]


def _check_level(user: Any, level: str) -> None:
    if not levels_for(user):
        raise Forbidden(_("You may not record anything."))
    if level not in LEVELS:
        raise EntryError("confidentiality", _("Choose a confidentiality level."))
    if level not in levels_for(user):
        raise EntryError(
            "confidentiality",
            _("You may not record at the level “%(level)s”.") % {"level": level},
        )


class _Writer:
    """Saves new records for one user at one confidentiality level, remembering each."""

    def __init__(self, user: Any, level: str) -> None:
        self.user = user
        self.level = level
        self.created: list[VigilModel] = []

    def add(self, obj: VigilModel, *, level: str | None = None) -> Any:
        obj.confidentiality = level or self.level
        save_checked(self.user, "add", obj)
        self.created.append(obj)
        return obj

    def visible(self, model: type[models.Model], pk: Any, field_name: str, what: str) -> Any:
        """The record ``pk`` if the user may view it; otherwise the same error as a missing one."""
        found = restrict(self.user, "view", model._default_manager.filter(pk=pk)).first()
        if found is None:
            raise EntryError(field_name, _("No %(what)s with this id.") % {"what": what})
        return found


def _term(field_name: str, vocabulary: str, key: str, *, required: bool = False) -> str | None:
    """The id of a vocabulary term given by key or id; an error naming the field otherwise."""
    key = (key or "").strip()
    if not key:
        if required:
            raise EntryError(field_name, _("This field is required."))
        return None
    pk = key if key.startswith(f"{vocabulary}.") else Term.pk_for(vocabulary, key)
    if not Term.objects.filter(pk=pk, vocabulary=vocabulary).exists():
        raise EntryError(field_name, _("“%(key)s” is not in the list.") % {"key": key})
    return pk


def _date_fields(value: DateInput | None) -> dict[str, Any]:
    if value is None:
        return {"date": None, "date_precision": DatePrecision.UNKNOWN, "date_end": None}
    return {"date": value.date, "date_precision": value.precision, "date_end": value.end}


# --- persons --------------------------------------------------------------------------------
def guess_script(value: str) -> str:
    """The script most letters of ``value`` are written in."""
    counts = {Script.CYRILLIC.value: 0, Script.LATIN.value: 0}
    for char in value:
        if char.isalpha():
            name = unicodedata.name(char, "")
            if name.startswith("CYRILLIC"):
                counts[Script.CYRILLIC.value] += 1
            elif name.startswith("LATIN"):
                counts[Script.LATIN.value] += 1
    if not any(counts.values()):
        return Script.OTHER.value
    return max(counts, key=lambda k: counts[k])


def guess_language(value: str, script: str) -> str:
    """Belarusian or Russian from letters only one of them uses; blank when unsure."""
    if script != Script.CYRILLIC.value:
        return ""
    letters = set(value)
    if letters & _BELARUSIAN_LETTERS and not letters & _RUSSIAN_LETTERS:
        return "be"
    if letters & _RUSSIAN_LETTERS and not letters & _BELARUSIAN_LETTERS:
        return "ru"
    return ""


def _clean_names(data: PersonInput) -> list[NameInput]:
    names = [n for n in data.names if n.value.strip()]
    if not names and data.display_name.strip():
        names = [NameInput(data.display_name.strip())]
    if not names:
        raise EntryError("names", _("Give at least one name."))
    for n in names:
        n.value = " ".join(n.value.split())
        if len(n.value) > 300:
            raise EntryError("names", _("A name is at most 300 characters."))
        if n.kind not in NameKind.values:
            raise EntryError("names", _("Choose a kind of name from the list."))
        n.script = n.script or guess_script(n.value)
        if n.script not in Script.values:
            raise EntryError("names", _("Choose a script from the list."))
        n.lang = (n.lang or guess_language(n.value, n.script)).strip()[:8]
    if not any(n.is_primary for n in names):
        names[0].is_primary = True
    return names


def _display_name(data: PersonInput, names: list[NameInput]) -> str:
    if data.display_name.strip():
        return " ".join(data.display_name.split())[:300]
    return next(n.value for n in names if n.is_primary)


def _apply_person_fields(person: Person, data: PersonInput, names: list[NameInput]) -> None:
    if data.sex not in Sex.values:
        raise EntryError("sex", _("Choose a value from the list."))
    nationality = data.nationality.strip().upper()
    if nationality and (len(nationality) != 2 or not nationality.isalpha()):
        raise EntryError("nationality", _("Write the two-letter country code, such as BY."))
    person.display_name = _display_name(data, names)
    person.sex = data.sex
    birth = data.birth_date
    person.birth_date = birth.date if birth else None
    person.birth_date_precision = birth.precision if birth else DatePrecision.DAY
    person.birth_place = data.birth_place.strip()[:200]
    person.nationality = nationality
    person.notes = data.notes.strip()


def _name_row(person: Person, n: NameInput, row: PersonName | None = None) -> PersonName:
    row = row or PersonName(person=person)
    row.value, row.script, row.lang = n.value, n.script, n.lang
    row.kind, row.scheme, row.is_primary = n.kind, n.scheme.strip()[:40], n.is_primary
    return row


def _new_person(writer: _Writer, data: PersonInput) -> Person:
    names = _clean_names(data)
    person = Person()
    _apply_person_fields(person, data, names)
    writer.add(person, level=data.confidentiality)
    for n in names:
        writer.add(_name_row(person, n), level=data.confidentiality)
    return person


def create_person(user: Any, data: PersonInput) -> Person:
    """Record a new person with every name given; nothing is saved on error."""
    _check_level(user, data.confidentiality)
    with transaction.atomic():
        return _new_person(_Writer(user, data.confidentiality), data)


def update_person(user: Any, person_id: Any, data: PersonInput, *, version: int) -> Person:
    """Change a person and their names as the user sees them, from the ``version`` they read.

    A name left out of ``data`` is soft-deleted (which the policy lets coordinators do); names
    the user cannot see are left as they are. A stale ``version`` raises ConflictError.
    """
    _check_level(user, data.confidentiality)
    with transaction.atomic():
        writer = _Writer(user, data.confidentiality)
        person = writer.visible(Person, person_id, "person", _("person"))
        names = _clean_names(data)
        _apply_person_fields(person, data, names)
        person.confidentiality = data.confidentiality
        person.version = version
        save_checked(user, "change", person)
        current = {n.pk: n for n in restrict(user, "view", person.names.all())}
        kept: set[Any] = set()
        for n in names:
            row = current.get(n.id) if n.id else None
            if n.id and row is None:
                raise EntryError("names", _("A name of this person was changed or removed."))
            if row is None:
                writer.add(_name_row(person, n), level=person.confidentiality)
                continue
            kept.add(row.pk)
            before = (row.value, row.script, row.lang, row.kind, row.scheme, row.is_primary)
            _name_row(person, n, row)
            if before != (row.value, row.script, row.lang, row.kind, row.scheme, row.is_primary):
                save_checked(user, "change", row)
        for pk, row in current.items():
            if pk not in kept:
                try:
                    save_checked(user, "delete", row, reason=_("Removed in the person form."))
                except Forbidden:
                    raise EntryError(
                        "names", _("You may not remove a name; ask a coordinator.")
                    ) from None
        return person


# --- parts of an entry ----------------------------------------------------------------------
def _person(writer: _Writer, ref: PersonRef | None, field_name: str) -> Person | None:
    if ref is None or (ref.person_id is None and ref.new is None):
        return None
    if ref.person_id is not None:
        return writer.visible(Person, ref.person_id, field_name, _("person"))
    assert ref.new is not None
    try:
        return _new_person(writer, ref.new)
    except EntryError as error:
        raise EntryError(field_name, error.message) from None


def _organisation(
    writer: _Writer, ref: OrganisationRef | None, field_name: str, kind: str
) -> Organisation | None:
    if ref is None:
        return None
    if ref.organisation_id is not None:
        return writer.visible(Organisation, ref.organisation_id, field_name, _("organisation"))
    name = " ".join(ref.name.split())[:300]
    if not name:
        return None
    found = restrict(
        writer.user, "view", Organisation.objects.filter(display_name__iexact=name)
    ).first()
    if found is not None:
        return found
    return writer.add(
        Organisation(display_name=name, kind_id=Term.pk_for("organisation_kind", kind))
    )


def _provision(charge: Any) -> LegalProvision:
    p = charge.provision
    found = LegalProvision.objects.filter(
        jurisdiction="BY", code=p.code, article=p.article, part=p.part or "", point=p.point or ""
    ).first()
    if found is not None:
        return found
    # A parsed "title" of one word is usually a code's abbreviation ("CC"), not the title.
    title = p.title if p.title and " " in p.title.strip() else ""
    return LegalProvision(
        code=str(p.code), article=p.article, part=p.part or "", point=p.point or "", title=title
    )


def _charges(writer: _Writer, act: Act, texts: list[str]) -> None:
    for text in texts:
        text = text.strip()
        if not text:
            continue
        try:
            charges = parse_citation(text)
        except CitationError as error:
            raise EntryError("charges", error.message) from None
        for charge in charges:
            provision = _provision(charge)
            if provision._state.adding:
                save_checked(writer.user, "add", provision)
            writer.add(
                ActCharge(
                    act=act,
                    provision=provision,
                    inchoate=charge.inchoate or "",
                    text_as_written=text,
                )
            )


def _involve(writer: _Writer, act: Act, who: Person | Organisation | None, role: str) -> None:
    if who is None:
        return
    inv = Involvement(act=act, role_id=role)
    if isinstance(who, Person):
        inv.perpetrator_person = who
    else:
        inv.perpetrator_organisation = who
    writer.add(inv)


def _sources(writer: _Writer, inputs: list[SourceInput]) -> list[tuple[Source, SourceInput]]:
    found: list[tuple[Source, SourceInput]] = []
    for i, s in enumerate(inputs):
        prefix = f"sources-{i}"
        if s.source_id is not None:
            found.append((writer.visible(Source, s.source_id, prefix, _("source")), s))
            continue
        if not s.title.strip():
            if s.url.strip() or s.quote.strip() or s.publisher.strip():
                raise EntryError(f"{prefix}-title", _("Give the title of the source."))
            continue
        if s.claim_kind not in ClaimKind.values:
            raise EntryError(f"{prefix}-claim_kind", _("Choose a value from the list."))
        source = Source(
            title=" ".join(s.title.split())[:500],
            url=s.url.strip()[:500],
            publisher=s.publisher.strip()[:300],
            source_type_id=_term(f"{prefix}-source_type", "source_type", s.source_type),
            reliability_id=_term(f"{prefix}-reliability", "source_reliability", s.reliability),
            **_date_fields(s.date),
        )
        if s.date is None:
            source.date_precision = DatePrecision.UNKNOWN
        found.append((writer.add(source), s))
    return found


def _cite(writer: _Writer, sources: list[tuple[Source, SourceInput]], targets: list[Any]) -> None:
    for source, s in sources:
        for target in targets:
            writer.add(
                Information(
                    source=source,
                    target_type=ContentType.objects.get_for_model(type(target)),
                    target_id=target.pk,
                    quote=s.quote.strip(),
                    claim_kind=s.claim_kind,
                    reliability_id=source.reliability_id,
                )
            )


def _required_date(value: DateInput | None, field_name: str) -> DateInput:
    if value is None:
        raise EntryError(
            field_name, _("Give the date, as precisely as it is known, or write “unknown”.")
        )
    return value


def _act(writer: _Writer, event: Event, kind: str, victim: Person, **fields: Any) -> Act:
    return writer.add(
        Act(event=event, act_type_id=Term.pk_for("act_type", kind), victim_person=victim, **fields)
    )


def _counsel(writer: _Writer, act: Act, refs: list[PersonRef]) -> None:
    for i, ref in enumerate(refs):
        lawyer = _person(writer, ref, f"counsel-{i}")
        if lawyer is not None:
            writer.add(Counsel(act=act, lawyer=lawyer))


def _victim(writer: _Writer, ref: PersonRef) -> Person:
    victim = _person(writer, ref, "victim")
    if victim is None:
        raise EntryError("victim", _("Choose the person or give their name."))
    return victim


# --- arrest and trial -----------------------------------------------------------------------
def record_arrest(user: Any, data: ArrestInput) -> Recorded:
    """Record an arrest: event, arrest act, detention, charges, perpetrators, counsel, sources."""
    _check_level(user, data.confidentiality)
    when = _required_date(data.date, "date")
    officer_role = _term("officer_role", "perpetrator_role", data.officer_role, required=True)
    with transaction.atomic():
        writer = _Writer(user, data.confidentiality)
        victim = _victim(writer, data.victim)
        sources = _sources(writer, data.sources)
        title = data.title.strip() or _("Arrest of %(name)s") % {"name": victim}
        event = writer.add(
            Event(
                title=title[:300],
                description=data.description.strip(),
                place=data.place.strip()[:200],
                **_date_fields(when),
            )
        )
        arrest = _act(
            writer,
            event,
            "arrest",
            victim,
            place_text=data.place.strip()[:300],
            **_date_fields(when),
        )
        acts = [arrest]
        _involve(
            writer,
            arrest,
            _organisation(writer, data.agency, "agency", "other"),
            Term.pk_for("perpetrator_role", "responsible_agency"),
        )
        _involve(writer, arrest, _person(writer, data.officer, "officer"), str(officer_role))
        if data.detained:
            place = _organisation(writer, data.detention_place, "detention_place", "prison")
            acts.append(
                _act(
                    writer,
                    event,
                    "detention",
                    victim,
                    place=place,
                    status=ActStatus.ONGOING,
                    **_date_fields(when),
                )
            )
        if any(c.strip() for c in data.charges):
            charge = _act(writer, event, "charge", victim, **_date_fields(when))
            _charges(writer, charge, data.charges)
            acts.append(charge)
        _counsel(writer, arrest, data.counsel)
        _cite(writer, sources, [event, *acts])
        return Recorded(event, victim, acts, writer.created)


def _check_sentence(s: SentenceInput) -> None:
    if s.months is not None and not (0 <= s.months <= MAX_SENTENCE_MONTHS):
        raise EntryError("sentence_months", _("A term is between 0 and 1200 months."))
    if s.fine_amount is not None and s.fine_amount < 0:
        raise EntryError("fine_amount", _("A fine cannot be negative."))


def _has_sentence(s: SentenceInput | None) -> bool:
    return s is not None and bool(
        s.months is not None or s.regime or s.suspended or s.fine_amount is not None or s.text
    )


def record_trial(user: Any, data: TrialInput) -> Recorded:
    """Record a trial: event, (arrest,) trial and sentence acts, court, judge, prosecutor,
    charges, counsel and sources."""
    _check_level(user, data.confidentiality)
    when = _required_date(data.date, "date")
    judge_role = _term("judge_role", "perpetrator_role", data.judge_role, required=True)
    sentence = data.sentence if _has_sentence(data.sentence) else None
    regime = None
    if sentence is not None:
        _check_sentence(sentence)
        regime = _term("sentence_regime", "detention_regime", sentence.regime)
    with transaction.atomic():
        writer = _Writer(user, data.confidentiality)
        victim = _victim(writer, data.victim)
        sources = _sources(writer, data.sources)
        court = _organisation(writer, data.court, "court", "court")
        judge = _person(writer, data.judge, "judge")
        prosecutor = _person(writer, data.prosecutor, "prosecutor")
        title = data.title.strip() or _("Trial of %(name)s") % {"name": victim}
        first = data.arrest_date or when
        event = writer.add(
            Event(title=title[:300], description=data.description.strip(), **_date_fields(first))
        )
        acts: list[Act] = []
        if data.arrest_date is not None:
            acts.append(_act(writer, event, "arrest", victim, **_date_fields(data.arrest_date)))
        trial = _act(
            writer,
            event,
            "trial",
            victim,
            place=court,
            status=ActStatus.ENDED,
            **_date_fields(when),
        )
        acts.append(trial)
        _involve(writer, trial, judge, str(judge_role))
        _involve(writer, trial, prosecutor, Term.pk_for("perpetrator_role", "prosecutor"))
        _counsel(writer, trial, data.counsel)
        convicted = trial
        if sentence is not None:
            convicted = _act(
                writer, event, "sentence", victim, place=court,
                sentence_months=sentence.months, sentence_regime_id=regime,
                suspended=sentence.suspended, fine_amount=sentence.fine_amount,
                fine_unit=sentence.fine_unit.strip()[:40],
                sentence_text=sentence.text.strip()[:300],
                **_date_fields(sentence.date or when),
            )  # fmt: skip
            acts.append(convicted)
            _involve(writer, convicted, judge, str(judge_role))
        _charges(writer, convicted, data.charges)
        _cite(writer, sources, [event, *acts])
        return Recorded(event, victim, acts, writer.created)
