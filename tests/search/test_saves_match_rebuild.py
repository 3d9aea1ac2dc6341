"""After one single save of each kind, the search index and stored custody are exactly what a
full rebuild makes of the same records (issue 14 §1: the receivers that skip work, a new name
that writes only its own form, custody read by a compiled statement, must leave nothing else).

Each case builds its records, rebuilds everything (a clean start), makes ONE save, reads the
index and stored custody, rebuilds again and compares. The name vocabulary is compared as a
lower bound (saves leave tokens no form holds; a rebuild drops them, as it always did).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.record_acts import act_of
from vigil.core.context import change_context
from vigil.records import custody_store
from vigil.records.models import (
    Act,
    Event,
    Involvement,
    Organisation,
    Person,
    PersonName,
    Term,
)
from vigil.records.models.stored_custody import StoredCustody
from vigil.search.models import NameForm, NameKey, NameText, NameToken, TextDocument
from vigil.search.rebuild import rebuild_all

pytestmark = pytest.mark.django_db


@dataclass
class World:
    """Fictional records: a defender with names and acts, a second person, an organisation."""

    ales: Person
    iryna: Person
    be: PersonName
    ru: PersonName
    arrest: Act
    sentence: Act
    event: Event
    org: Organisation
    org_act: Act


def _world() -> World:
    ales = Person.objects.create(display_name="Ales Fictiuk", is_synthetic=True)
    iryna = Person.objects.create(display_name="Iryna Kvitka-Fictiva", is_synthetic=True)
    be = PersonName.objects.create(person=ales, value="Алесь Фіктюк", script="Cyrl")
    ru = PersonName.objects.create(person=ales, value="Алесь Фиктюк", script="Cyrl")
    arrest = act_of(ales, "arrest", dt.date(2024, 1, 10), description="Detained at home")
    sentence = act_of(
        ales, "sentence", dt.date(2024, 5, 2), event=arrest.event, sentence_months=36
    )
    org = Organisation.objects.create(display_name="Fictional Human Rights Centre")
    org_act = act_of(None, "detention", dt.date(2024, 2, 1), victim_organisation=org)
    return World(ales, iryna, be, ru, arrest, sentence, arrest.event, org, org_act)


def _state() -> dict[str, Any]:
    forms = {
        form.pk: (str(form.person_id), str(form.name_id), form.text, form.normalised)
        for form in NameForm.objects.all()
    }
    keys: dict[int, set[tuple[str, str]]] = {pk: set() for pk in forms}
    texts = dict(NameText.objects.values_list("pk", "normalised"))
    for form_id, key, text_id in NameKey.objects.values_list("form_id", "key", "text_id"):
        keys[form_id].add((key, texts[text_id]))
    return {
        "forms": sorted((*forms[pk], tuple(sorted(keys[pk]))) for pk in forms),
        "documents": sorted(
            TextDocument.objects.values_list("model", "object_id", "body", "folded")
        ),
        "custody": sorted(
            StoredCustody.objects.values_list(
                "person_id", "ceiling", "status", "since", "act_id", "term_ends"
            ),
            key=str,
        ),
    }


def _rebuild() -> None:
    rebuild_all()
    custody_store.rebuild()


def _person_created(w: World) -> None:
    Person.objects.create(display_name="Mikola Fictyvich")


def _person_renamed(w: World) -> None:
    w.ales.display_name = "Alies Fictiuk"
    w.ales.save()


def _person_renamed_as_a_name(w: World) -> None:
    w.ales.display_name = "Алесь Фіктюк"  # now spelled as one of his names: that form goes
    w.ales.save()


def _person_notes(w: World) -> None:
    w.ales.notes = "A note no index reads"
    w.ales.save()


def _person_notes_fields(w: World) -> None:
    w.ales.notes = "A note no index reads"
    w.ales.save(update_fields=["notes"])


def _person_unchanged(w: World) -> None:
    Person.objects.get(pk=w.ales.pk).save()


def _person_secret(w: World) -> None:
    w.ales.confidentiality = "secret"
    w.ales.save()


def _person_secret_fields(w: World) -> None:
    w.ales.confidentiality = "secret"
    w.ales.save(update_fields=["confidentiality"])


def _person_deleted(w: World) -> None:
    w.ales.soft_delete("a fictional duplicate")


def _person_restored(w: World) -> None:
    Person.all_objects.get(pk=w.iryna.pk).restore()


def _name_created(w: World) -> None:
    PersonName.objects.create(person=w.ales, value="Ales Fiktsiuk", script="Latn")


def _name_created_as_display(w: World) -> None:
    PersonName.objects.create(person=w.ales, value="ALES  FICTIUK", script="Latn")


def _name_created_on_a_deleted_person(w: World) -> None:
    PersonName.objects.create(person=w.iryna, value="Ірына Квітка", script="Cyrl")


def _name_changed(w: World) -> None:
    w.ru.value = "Алесь Фиктюков"
    w.ru.save()


def _name_moved(w: World) -> None:
    w.ru.person = w.iryna
    w.ru.save()


def _name_kind(w: World) -> None:
    w.ru.kind = "alias"
    w.ru.save()


def _name_deleted(w: World) -> None:
    w.be.soft_delete("misspelt")


def _act_created(w: World) -> None:
    act_of(w.ales, "release", dt.date(2024, 6, 1), event=w.event)


def _act_dated(w: World) -> None:
    w.sentence.date = dt.date(2023, 12, 1)
    w.sentence.save()


def _act_moved(w: World) -> None:
    w.sentence.victim_person = w.iryna
    w.sentence.save()


def _act_described(w: World) -> None:
    w.arrest.description = "Detained at home, by night"
    w.arrest.save()


def _act_deleted(w: World) -> None:
    w.sentence.soft_delete("entered twice")


def _event_secret(w: World) -> None:
    w.event.confidentiality = "secret"
    w.event.save()


def _event_titled(w: World) -> None:
    w.event.title = "Fictional arrest and trial"
    w.event.save()


def _event_deleted(w: World) -> None:
    w.event.soft_delete("entered twice")


def _organisation_secret(w: World) -> None:
    w.org.confidentiality = "secret"
    w.org.save()


def _involvement_created(w: World) -> None:
    role = Term.objects.filter(vocabulary="perpetrator_role").first()
    assert role is not None
    Involvement.objects.create(act=w.arrest, perpetrator_person=w.iryna, role=role)


SAVES: dict[str, Callable[[World], None]] = {
    name.removeprefix("_"): fn
    for name, fn in list(globals().items())
    if name.startswith(("_person_", "_name_", "_act_", "_event_", "_organisation_", "_inv"))
}


@pytest.mark.parametrize("save", sorted(SAVES))
def test_one_save_leaves_what_a_rebuild_makes(save: str) -> None:
    with change_context("test", detail="saves match a rebuild"):
        w = _world()
        if save == "person_restored":
            w.iryna.soft_delete("to be restored")
        if save == "name_created_on_a_deleted_person":
            w.iryna.soft_delete("gone")
        _rebuild()
        SAVES[save](w)
        saved = _state()
        tokens = set(NameToken.objects.values_list("token", "key"))
        _rebuild()
        rebuilt = _state()
    assert saved == rebuilt
    assert set(NameToken.objects.values_list("token", "key")) <= tokens
