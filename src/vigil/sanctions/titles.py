"""Titles of screening decisions for the change history (``vigil.core.titles``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext

from vigil.core.titles import Kind, Title, Titles, View, label_of, register_titles
from vigil.records.models import Organisation, Person
from vigil.sanctions.models import ScreeningMatch

PERSON = label_of(Person)
ORGANISATION = label_of(Organisation)


def _read(view: View, ids: list[str]) -> tuple[Any, Mapping[str, Iterable[Any]]]:
    matches = list(
        view(ScreeningMatch.objects.filter(pk__in=ids)).select_related(
            "listed_entity", "listed_entity__sanctions_list"
        )
    )
    return matches, {
        PERSON: [m.person_id for m in matches],
        ORGANISATION: [m.organisation_id for m in matches],
    }


def _name(matches: Any, titles: Titles) -> dict[str, Title]:
    """ "Screening of Iudex Fictus against the EU list, entry EU-123", opening the person's page;
    a screened person or organisation the user may not view is left unnamed ("—")."""
    persons, orgs = titles(PERSON), titles(ORGANISATION)
    found = {}
    for m in matches:
        who = persons.get(str(m.person_id)) if m.person_id else orgs.get(str(m.organisation_id))
        text = gettext("Screening of %(who)s against the %(list)s, entry %(entry)s") % {
            "who": who.text if who else "—",
            "list": m.listed_entity.sanctions_list.label,
            "entry": m.listed_entity.entity_id,
        }
        found[str(m.pk)] = Title(text, who.url if who is not None and m.person_id else None)
    return found


def register() -> None:
    """Name screening decisions in the change history (the app's ``ready``)."""
    register_titles(ScreeningMatch, Kind(_read, _name, (PERSON, ORGANISATION)))
