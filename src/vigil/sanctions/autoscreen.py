"""Screening a perpetrator as soon as they are recorded, renamed or merged.

Every single save of an involvement naming a perpetrator not yet screened against the loaded
lists' current versions, and every save of a perpetrator or of one of their names (a rename, a
new spelling; the entry forms, the API, a merge, the admin) screens that person against the
loaded lists in the same transaction, as the search index is kept current. Bulk imports send no
signal: they call :func:`vigil.sanctions.screening.screen_perpetrators` themselves.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save


def _person_of(label: str, instance: Any) -> Any:
    if label == "records.involvement":
        return instance.perpetrator_person_id
    if label == "records.personname":
        return instance.person_id
    return instance.pk


def _saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    label = sender._meta.label_lower
    person_id = _person_of(label, instance)
    if person_id is None:
        return
    from vigil.sanctions.screening import screen_perpetrators

    # A new involvement screens a person not yet screened against the lists' current
    # versions; a saved person or name (perhaps a new spelling) is screened again.
    screen_perpetrators([person_id], only_unscreened=label == "records.involvement")


WATCHED = ("records.involvement", "records.person", "records.personname")


def connect() -> None:
    """Connect the save signals that make a new or renamed perpetrator screened at once."""
    from django.apps import apps

    for label in WATCHED:
        post_save.connect(
            _saved, sender=apps.get_model(label), dispatch_uid=f"vigil_autoscreen_{label}"
        )
