"""Screening a perpetrator as soon as they are recorded, renamed or merged.

Every single save of an involvement naming a perpetrator not yet screened against the loaded
lists' current versions, and every save of a perpetrator (person or organisation) or of one
of their names (a rename, a new spelling; the entry forms, the API, a merge, the admin) screens
that perpetrator against the loaded lists in the same transaction, as the search index is kept
current. Bulk imports send no signal: they call
:func:`vigil.sanctions.screening.screen_perpetrators` themselves.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save


def _subjects_of(label: str, instance: Any) -> tuple[Any, Any]:
    """(person id, organisation id) a saved row concerns."""
    if label == "records.involvement":
        return instance.perpetrator_person_id, instance.perpetrator_organisation_id
    if label == "records.personname":
        return instance.person_id, None
    if label == "records.organisationname":
        return None, instance.organisation_id
    if label == "records.organisation":
        return None, instance.pk
    return instance.pk, None


def _saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    label = sender._meta.label_lower
    person_id, organisation_id = _subjects_of(label, instance)
    if person_id is None and organisation_id is None:
        return
    from vigil.sanctions.screening import is_perpetrator, screen_perpetrators

    if organisation_id is None and label != "records.involvement" and not is_perpetrator(person_id):
        return  # only perpetrators are screened: nothing to read or write for anyone else
    # A new involvement screens a perpetrator not yet screened against the lists' current
    # versions; a saved person, organisation or name (perhaps a new spelling) is screened again.
    screen_perpetrators(
        [person_id] if person_id is not None else [],
        organisation_ids=[organisation_id] if organisation_id is not None else [],
        only_unscreened=label == "records.involvement",
    )


WATCHED = (
    "records.involvement",
    "records.person",
    "records.personname",
    "records.organisation",
    "records.organisationname",
)


def connect() -> None:
    """Connect the save signals that make a new or renamed perpetrator screened at once."""
    from django.apps import apps

    for label in WATCHED:
        post_save.connect(
            _saved, sender=apps.get_model(label), dispatch_uid=f"vigil_autoscreen_{label}"
        )
