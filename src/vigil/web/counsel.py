"""A lawyer's record as counsel: the acts they defended in, confirmed or only named by a source.

A ``Counsel`` row is counsel an analyst or a form recorded; a ``Participant`` the source names
with the role "counsel" (the Viasna list's `counsel` column) is shown as "role unconfirmed" until
an analyst confirms it. Both are read through the policy, with their act.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from vigil.policy.access import restrict
from vigil.records.custody import ORDER
from vigil.records.models import Act, Counsel, Participant, Person

if TYPE_CHECKING:
    from vigil.accounts.types import User

_ACT_FIELDS = (
    "act__act_type",
    "act__event",
    "act__victim_person",
    "act__victim_organisation",
    "act__sentence_regime",
    "act__restriction_measure",
)


@dataclass
class CounselRow:
    """One act the person appears in as counsel."""

    act: Act
    confirmed: bool
    stated_role: str = ""


def _is_counsel(role: str) -> bool:
    return "counsel" in role.casefold() or "defen" in role.casefold()


def counsel_record(user: User, person: Person) -> list[CounselRow]:
    """The visible acts in which ``person`` is counsel, oldest first (undated last)."""
    # The policy shows a counsel or participant row only with its act (a parent: ``EXISTS``
    # visible act ``WHERE id = act_id``, per row), so the act is checked there; a second
    # ``act IN (every visible act)`` made SQLite list the whole record for a busy lawyer.
    rows: dict[Any, CounselRow] = {}
    confirmed = restrict(user, "view", Counsel.objects.filter(lawyer=person)).select_related(
        *_ACT_FIELDS
    )
    for c in confirmed:
        rows[c.act_id] = CounselRow(c.act, True)
    named = (
        restrict(user, "view", Participant.objects.filter(person=person))
        .filter(Q(confirmed_role="") | Q(confirmed_role__icontains="counsel"))
        .select_related(*_ACT_FIELDS)
    )
    for p in named:
        role = p.confirmed_role or p.stated_role
        if p.act_id in rows or not _is_counsel(role):
            continue
        rows[p.act_id] = CounselRow(p.act, bool(p.confirmed_role), p.stated_role)
    return sorted(
        rows.values(),
        key=lambda r: (r.act.date or dt.date.max, ORDER.get(r.act.act_type.key, 5)),
    )
