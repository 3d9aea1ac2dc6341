"""Protection cases: open, assess, act, close — through the policy, identities audited.

Every function takes the acting user; reads go through ``restrict`` and writes through
``save_checked``. The identity is written only here (audited as ``identity_written``, by field
name) and read only through :func:`reveal_identity`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from vigil.core.day_input import parse_day
from vigil.core.errors import ConflictError, Forbidden, NotFound, ValidationFailed
from vigil.policy.access import allows, restrict, save_checked
from vigil.policy.auditing import audit
from vigil.policy.identity import reveal_all
from vigil.protection.access import (
    CASE_IDENTITY,
    give_creator_access,
    holds_access,
)
from vigil.protection.models import (
    OPEN_ACTION_STATUSES,
    ActionKind,
    ActionStatus,
    BeneficiaryAccess,
    CaseStatus,
    ProtectionAction,
    ProtectionCase,
    Urgency,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from vigil.accounts.types import User

LEVELS = ("restricted", "secret")


def _text(value: Any, limit: int = 20_000) -> str:
    text = "" if value is None else str(value).strip()
    if len(text) > limit:
        raise ValidationFailed(f"A text may hold at most {limit} characters.")
    return text


def _choice(value: Any, choices: Any, what: str) -> Any:
    if value in choices.values:
        return value
    raise ValidationFailed(f"{what} is one of: {', '.join(str(v) for v in choices.values)}.")


def _level(value: Any) -> str:
    level = value or "restricted"
    if level not in LEVELS:
        raise ValidationFailed("A protection case is restricted or secret.")
    return level


def _write_identity(user: User, case: ProtectionCase, identity: dict[str, Any]) -> list[str]:
    changed = []
    for name in CASE_IDENTITY:
        if name in identity:
            value = _text(identity[name], 5000)
            if name == "beneficiary_name" and not value:
                raise ValidationFailed("A protection case needs the beneficiary's name.")
            if case._state.adding or getattr(case, name) != value:
                setattr(case, name, value)
                changed.append(name)
    return changed


def _audit_identity(user: User, case: models.Model, fields: list[str]) -> None:
    for name in fields:
        audit("identity_written", actor=user, obj=case, field=name)


def open_case(
    user: User,
    *,
    beneficiary_name: str,
    beneficiary_contacts: str = "",
    location: str = "",
    dependants: str = "",
    urgency: int | str = Urgency.HIGH,  # a form's text too: the field converts it
    threats: str = "",
    needs: str = "",
    confidentiality: str = "restricted",
    synthetic: bool = False,
) -> ProtectionCase:
    """Open a case; the user who typed the identity is granted it (both audited).

    ``synthetic`` flags a fictional case (the demo's scenario): its actions and grants are
    flagged too, and every page badges it as fictional.
    """
    case = ProtectionCase(
        urgency=_choice(_int(urgency), Urgency, "Urgency"),
        threats=_text(threats),
        needs=_text(needs),
        confidentiality=_level(confidentiality),
        is_synthetic=synthetic,
    )
    identity = {
        "beneficiary_name": beneficiary_name,
        "beneficiary_contacts": beneficiary_contacts,
        "location": location,
        "dependants": dependants,
    }
    with transaction.atomic():
        fields = _write_identity(user, case, identity)
        save_checked(user, "add", case)
        _audit_identity(user, case, fields)
        give_creator_access(user, case)
    return case


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationFailed("Urgency is a number from 1 (critical) to 4 (low).") from None


def visible_cases(user: User) -> models.QuerySet[ProtectionCase]:
    """The cases ``user`` may see (never their identities)."""
    return restrict(user, "view", ProtectionCase.objects.all())


def get_case(user: User, pk: Any) -> ProtectionCase:
    """One case ``user`` may see; hidden and missing alike are NotFound."""
    found = visible_cases(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("No protection case with this id.")
    return found


def update_assessment(
    user: User, case: ProtectionCase, *, version: int | None = None, **changes: Any
) -> ProtectionCase:
    """Change the assessment (urgency, threats, needs) and, with a grant, the identity."""
    if version is not None and version != case.version:
        raise ConflictError("This case was changed since you read it; reload and try again.")
    identity = {k: changes.pop(k) for k in list(changes) if k in CASE_IDENTITY}
    unknown = set(changes) - {"urgency", "threats", "needs", "confidentiality"}
    if unknown:
        raise ValidationFailed(f"Unknown field(s): {', '.join(sorted(unknown))}.")
    if identity and not holds_access(user, case):
        audit("denied", actor=user, obj=case, action="change", field="beneficiary_name")
        raise Forbidden("Only a user granted this beneficiary's identity may change it.")
    if "urgency" in changes:
        case.urgency = _choice(_int(changes["urgency"]), Urgency, "Urgency")
    for name in ("threats", "needs"):
        if name in changes:
            setattr(case, name, _text(changes[name]))
    if "confidentiality" in changes:
        case.confidentiality = _level(changes["confidentiality"])
    with transaction.atomic():
        fields = _write_identity(user, case, identity)
        save_checked(user, "change", case)
        _audit_identity(user, case, fields)
    return case


def close_case(user: User, case: ProtectionCase, outcome: str) -> ProtectionCase:
    """Close the case with its outcome (reopen by :func:`reopen_case`)."""
    outcome = _text(outcome)
    if not outcome:
        raise ValidationFailed("Say what the outcome was before closing the case.")
    case.outcome = outcome
    case.status = CaseStatus.CLOSED
    case.closed_on = timezone.localdate()
    return save_checked(user, "change", case)


def reopen_case(user: User, case: ProtectionCase) -> ProtectionCase:
    case.status = CaseStatus.OPEN
    case.closed_on = None
    return save_checked(user, "change", case)


def reveal_identity(
    user: User, case: ProtectionCase, request: HttpRequest | None = None
) -> dict[str, str]:
    """Who the beneficiary is: policy-checked, explicit grant, step-up, counted, audited."""
    return reveal_all(user, case, request)


# --- actions ------------------------------------------------------------------------------


def _due(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return parse_day(str(value))  # the page's pattern or ISO; a clear error otherwise


def add_action(
    user: User,
    case: ProtectionCase,
    *,
    kind: str,
    owner: User | None = None,
    due: Any = None,
    note: str = "",
    status: str = ActionStatus.PLANNED,
) -> ProtectionAction:
    """Plan an action for a case (the user must be able to change the case)."""
    if not allows(user, "change", case):
        audit("denied", actor=user, obj=case, action="change")
        raise Forbidden("You may not add actions to this case.")
    action = ProtectionAction(
        case=case,
        kind=_choice(kind, ActionKind, "An action's kind"),
        owner=owner,
        due=_due(due),
        note=_text(note),
        status=_choice(status, ActionStatus, "An action's status"),
        confidentiality=case.confidentiality,
        is_synthetic=case.is_synthetic,
    )
    return save_checked(user, "add", action)


def update_action(
    user: User,
    action: ProtectionAction,
    *,
    status: str | None = None,
    due: Any = ...,
    note: str | None = None,
    owner: Any = ...,
) -> ProtectionAction:
    """Change an action's status, due date, note or owner."""
    if status is not None:
        action.status = _choice(status, ActionStatus, "An action's status")
    if due is not ...:
        action.due = _due(due)
    if note is not None:
        action.note = _text(note)
    if owner is not ...:
        action.owner = owner
    return save_checked(user, "change", action)


def visible_actions(user: User, case: ProtectionCase | None = None) -> models.QuerySet[Any]:
    rows = restrict(user, "view", ProtectionAction.objects.all())
    return rows.filter(case=case) if case is not None else rows


# --- the coordinator's board --------------------------------------------------------------


@dataclass(frozen=True)
class BoardRow:
    """One open case as the board shows it: pseudonym, never a name."""

    id: Any
    pseudonym: str
    urgency: int
    urgency_label: str
    opened_on: dt.date
    open_actions: int
    next_due: dt.date | None
    overdue: bool
    kinds: tuple[str, ...]
    identity_granted: bool
    synthetic: bool = False


def board(user: User, *, today: dt.date | None = None) -> list[BoardRow]:
    """Open cases ``user`` may see, most urgent first, then the soonest due action."""
    today = today or timezone.localdate()
    actions = visible_actions(user).filter(status__in=OPEN_ACTION_STATUSES)
    cases = (
        visible_cases(user)
        .filter(status=CaseStatus.OPEN)
        .annotate(
            open_actions=Count("actions", filter=Q(actions__in=actions.values("pk"))),
            next_due=Min("actions__due", filter=Q(actions__in=actions.values("pk"))),
        )
        .order_by("urgency", models.F("next_due").asc(nulls_last=True), "number")
    )
    rows = list(cases)
    kinds: dict[Any, set[str]] = {}
    for case_id, kind in actions.filter(case__in=[c.pk for c in rows]).values_list(
        "case_id", "kind"
    ):
        kinds.setdefault(case_id, set()).add(kind)
    labels = dict(ActionKind.choices)
    granted = _identity_granted(user, [c.pk for c in rows])
    return [
        BoardRow(
            id=c.pk,
            pseudonym=c.pseudonym,
            urgency=c.urgency,
            urgency_label=str(Urgency(c.urgency).label),
            opened_on=c.opened_on,
            open_actions=c.open_actions,
            next_due=c.next_due,
            overdue=c.next_due is not None and c.next_due < today,
            kinds=tuple(str(labels[k]) for k in sorted(kinds.get(c.pk, ()))),
            identity_granted=c.pk in granted,
            synthetic=c.is_synthetic,
        )
        for c in rows
    ]


def _identity_granted(user: User, ids: list[Any]) -> set[Any]:
    """Which of these cases ``user`` may reveal (the rules table and an explicit grant), at once."""
    revealable = restrict(user, "reveal_identity", ProtectionCase.objects.filter(pk__in=ids))
    held = BeneficiaryAccess.objects.active().filter(user=user, case__in=revealable)
    return set(held.values_list("case_id", flat=True))
