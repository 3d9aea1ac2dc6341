"""Persons with names in several scripts: create, edit, and pick existing ones by reference."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from vigil.core.errors import Forbidden
from vigil.policy.access import restrict, save_checked
from vigil.records.entry.inputs import (
    _BELARUSIAN_LETTERS,
    _RUSSIAN_LETTERS,
    EntryError,
    NameInput,
    OrganisationRef,
    PersonInput,
    PersonRef,
)
from vigil.records.entry.writing import _check_level, _Writer
from vigil.records.models import (
    DatePrecision,
    NameKind,
    Organisation,
    Person,
    PersonName,
    Script,
    Sex,
    Term,
)

if TYPE_CHECKING:
    from vigil.accounts.types import User


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


def create_person(user: User, data: PersonInput) -> Person:
    """Record a new person with every name given; nothing is saved on error."""
    _check_level(user, data.confidentiality)
    with transaction.atomic():
        return _new_person(_Writer(user, data.confidentiality), data)


def update_person(user: User, person_id: Any, data: PersonInput, *, version: int) -> Person:
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


def _victim(writer: _Writer, ref: PersonRef) -> Person:
    victim = _person(writer, ref, "victim")
    if victim is None:
        raise EntryError("victim", _("Choose the person or give their name."))
    return victim
