"""Writing an entry through the policy: who may record, at which levels, field helpers."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.core.errors import Forbidden
from vigil.core.models import VigilModel
from vigil.policy.access import restrict, role_of, save_checked
from vigil.policy.rules import LEVELS, Reach, reach_for
from vigil.records.date_input import DateInput
from vigil.records.entry.inputs import EntryError
from vigil.records.models import (
    DatePrecision,
    Term,
)

if TYPE_CHECKING:
    from vigil.accounts.types import User


# --- policy helpers -------------------------------------------------------------------------
def may_record(user: User) -> bool:
    """Whether ``user`` may add records at all (documenters, analysts, coordinators, admins)."""
    role = role_of(user)
    return role is not None and any(
        reach_for(role, "add", level) is not Reach.NONE for level in LEVELS
    )


def levels_for(user: User) -> list[str]:
    """The confidentiality levels ``user`` may record at, least protected first."""
    role = role_of(user)
    if role is None:
        return []
    return [level for level in LEVELS if reach_for(role, "add", level) is not Reach.NONE]


def _check_level(user: User, level: str) -> None:
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

    def __init__(self, user: User, level: str, known_since: dt.date | None = None) -> None:
        self.user = user
        self.level = level
        self.created: list[VigilModel] = []
        # The day the organisation learned what this entry records: by default, today.
        self.known_since = known_since or timezone.localdate()

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


def _required_date(value: DateInput | None, field_name: str) -> DateInput:
    if value is None:
        raise EntryError(
            field_name, _("Give the date, as precisely as it is known, or write “unknown”.")
        )
    return value
