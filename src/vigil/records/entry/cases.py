"""Cases (each grouping persons and events): create and change them through the policy.

The case form calls these; every save goes through ``save_checked`` for the acting user, inside
the request's change context (so the history records who did what), in one transaction. Members
the user cannot see are kept as they are: a form shows only what its user may view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from vigil.policy.access import restrict, save_checked
from vigil.records.entry.inputs import EntryError
from vigil.records.entry.writing import _check_level, _Writer
from vigil.records.models import Case, Event, Person
from vigil.records.models.cases import CaseStatus

if TYPE_CHECKING:
    from vigil.accounts.types import User

MAX_TITLE = 300


@dataclass
class CaseInput:
    """What the case form gives: the case's fields and the persons and events it groups."""

    title: str
    status: str = CaseStatus.OPEN
    description: str = ""
    confidentiality: str = "internal"
    persons: list[Any] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)


def _apply(case: Case, data: CaseInput) -> None:
    title = " ".join(data.title.split())
    if not title:
        raise EntryError("title", _("Give the case a title."))
    if len(title) > MAX_TITLE:
        raise EntryError("title", _("A title is at most 300 characters."))
    if data.status not in CaseStatus.values:
        raise EntryError("status", _("Choose a value from the list."))
    case.title = title
    case.status = data.status
    case.description = data.description.strip()


def _members(writer: _Writer, case: Case, data: CaseInput) -> None:
    """Set the persons and events the user can see; hidden members stay."""
    for name, model, wanted in (("persons", Person, data.persons), ("events", Event, data.events)):
        chosen = set()
        for pk in dict.fromkeys(wanted):
            try:
                found = writer.visible(model, pk, name, str(model._meta.verbose_name))
            except (ValueError, TypeError):  # a malformed id: the same error as a missing one
                raise EntryError(name, _("A chosen record no longer exists.")) from None
            chosen.add(found.pk)
        members = getattr(case, name)
        current = set(members.values_list("pk", flat=True))
        seen = set(
            restrict(writer.user, "view", model.objects.filter(pk__in=current)).values_list(
                "pk", flat=True
            )
        )
        members.set(chosen | (current - seen))


def create_case(user: User, data: CaseInput) -> Case:
    """Record a new case with its persons and events; nothing is saved on error."""
    _check_level(user, data.confidentiality)
    with transaction.atomic():
        writer = _Writer(user, data.confidentiality)
        case = Case()
        _apply(case, data)
        writer.add(case)
        _members(writer, case, data)
        return case


def update_case(user: User, case_id: Any, data: CaseInput, *, version: int) -> Case:
    """Change a case as the user sees it, from the ``version`` they read (stale: ConflictError)."""
    _check_level(user, data.confidentiality)
    with transaction.atomic():
        writer = _Writer(user, data.confidentiality)
        case = writer.visible(Case, case_id, "case", _("case"))
        _apply(case, data)
        case.confidentiality = data.confidentiality
        case.version = version
        save_checked(user, "change", case)
        _members(writer, case, data)
        return case
