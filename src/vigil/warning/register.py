"""The "watched / at risk" register: the lawyers and defenders an organisation follows.

Adding a person also makes the adder watch them (alerts), so a crossing of the alert threshold
reaches them. Every change is audited (``risk_register``, the person as the object, never the
reason's text). Only the roles of ``vigil.policy.rules.RISK_RULES`` may read or change it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from vigil.accounts.auditing import audit
from vigil.core.errors import NotFound, ValidationFailed
from vigil.policy.access import require_risk, restrict
from vigil.records.models import Person
from vigil.warning.models import RegisterStatus, WatchedPerson

if TYPE_CHECKING:
    from vigil.accounts.types import User

MAX_REASON = 2000


def entries(user: User, status: str | None = None) -> QuerySet[WatchedPerson]:
    """Register entries ``user`` may see (risk roles, persons they may view)."""
    rows = restrict(user, "view", WatchedPerson.objects.all()).select_related("person")
    if status:
        rows = rows.filter(status=_status(status))
    return rows


def _status(value: str) -> str:
    if value not in RegisterStatus.values:
        raise ValidationFailed(
            f"Unknown status {value!r}: choose one of {', '.join(RegisterStatus.values)}."
        )
    return value


def _person(user: User, person: Person | Any) -> Person:
    pk = getattr(person, "pk", person)
    found = restrict(user, "view", Person.objects.filter(pk=pk)).first()
    if found is None:
        raise NotFound("No such person that you may view.")
    return found


def add(user: User, person: Person | Any, reason: str = "") -> tuple[WatchedPerson, bool]:
    """Put ``person`` on the register (watched); (the entry, whether it is new)."""
    from vigil.alerts.watching import watch

    require_risk(user, "add", route="warning register add")
    person = _person(user, person)
    if len(reason) > MAX_REASON:
        raise ValidationFailed(f"The reason is longer than {MAX_REASON} characters.")
    today = timezone.localdate()
    with transaction.atomic():
        entry, created = WatchedPerson.objects.get_or_create(
            person=person,
            defaults={
                "added_by": user,
                "changed_by": user,
                "reason": reason.strip(),
                "added_on": today,
                "status_since": today,
            },
        )
        watch(user, person)
        if created:
            audit("risk_register", actor=user, obj=person, action="add", route="register")
    return entry, created


def set_status(user: User, person: Person | Any, status: str) -> WatchedPerson:
    """Mark ``person`` watched, relocated, safe or arrested on the register (audited)."""
    require_risk(user, "change", route="warning register status")
    person = _person(user, person)
    status = _status(status)
    entry = entries(user).filter(person=person).first()
    if entry is None:  # marking someone relocated or safe puts them on the register
        entry, _ = add(user, person)
    if entry.status == status:
        return entry
    with transaction.atomic():
        entry.status = status
        entry.status_since = timezone.localdate()
        entry.changed_by = user
        entry.save(update_fields=["status", "status_since", "changed_by"])
        audit("risk_register", actor=user, obj=person, action="status", decision=status,
              route="register")  # fmt: skip
    return entry
