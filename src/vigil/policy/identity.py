"""Field-level rules: identity fields are read only through ``reveal`` (audited, quota-bound)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import models

from vigil.core.errors import Forbidden, ValidationFailed
from vigil.policy.access import allows
from vigil.policy.auditing import audit
from vigil.policy.quotas import consume
from vigil.policy.stepup import require_step_up

if TYPE_CHECKING:
    from django.http import HttpRequest

    from vigil.accounts.types import AnyUser, User

# model label → names of fields that identify a witness or a victim's contacts.
IDENTITY_FIELDS: dict[str, set[str]] = {
    "records.source": {"source_person", "witness_contact"},
    "records.person": {"contact_details", "family_contacts"},
}


# model label → a further condition on revealing its identity fields: the rules table lets a
# role reveal, and the gate asks for the explicit grant a beneficiary's identity needs.
IDENTITY_GATES: dict[str, Callable[[Any, models.Model], bool]] = {}


def register_identity_gate(model_label: str, gate: Callable[[Any, models.Model], bool]) -> None:
    """Reveal identity fields of ``model_label`` only when ``gate(user, obj)`` also holds."""
    IDENTITY_GATES[model_label.lower()] = gate


def register_identity_field(model_label: str, field: str) -> None:
    """Declare ``field`` of ``model_label`` an identity field (e.g. a family contact)."""
    IDENTITY_FIELDS.setdefault(model_label.lower(), set()).add(field)


def identity_fields(model: type[models.Model] | models.Model) -> frozenset[str]:
    """The identity fields of ``model``, by name and by column name."""
    names = IDENTITY_FIELDS.get(model._meta.label_lower, set())
    found: set[str] = set()
    for name in names:
        field = model._meta.get_field(name)
        found |= {field.name, getattr(field, "attname", field.name)}
    return frozenset(found)


def ordinary_fields(model: type[models.Model]) -> list[str]:
    """The concrete field names of ``model`` that any reader of the record may see."""
    hidden = identity_fields(model)
    return [f.name for f in model._meta.concrete_fields if f.name not in hidden]


def can_reveal(user: AnyUser, obj: models.Model, field: str) -> bool:
    """Whether ``user`` may reveal ``field`` of ``obj`` (before step-up and quota)."""
    if field not in identity_fields(obj) or not allows(user, "reveal_identity", obj):
        return False
    gate = IDENTITY_GATES.get(obj._meta.label_lower)
    return gate is None or bool(gate(user, obj))


def reveal_all(user: User, obj: models.Model, request: HttpRequest | None = None) -> dict[str, Any]:
    """Every identity field of ``obj`` at once: one check, one step-up, one reveal counted.

    Each field read is audited by name, as :func:`reveal` does.
    """
    names = sorted(IDENTITY_FIELDS.get(obj._meta.label_lower, set()))
    if not names or not all(can_reveal(user, obj, name) for name in names):
        audit("denied", actor=user, obj=obj, action="reveal_identity")
        raise Forbidden("You may not see who this is.")
    require_step_up(request)
    consume(user, "reveal")
    stored = type(obj)._default_manager.get(pk=obj.pk)
    for name in names:
        audit("identity_read", actor=user, obj=obj, field=name)
    return {name: getattr(stored, name) for name in names}


def reveal(user: User, obj: models.Model, field: str, request: HttpRequest | None = None) -> Any:
    """Return the stored value of identity ``field`` of ``obj``: checked, counted, audited."""
    if field not in identity_fields(obj):
        raise ValidationFailed(f"{field!r} is not an identity field of this record.")
    if not can_reveal(user, obj, field):
        audit("denied", actor=user, obj=obj, action="reveal_identity", field=field)
        raise Forbidden("You may not see who this witness is.")
    require_step_up(request)
    consume(user, "reveal")
    # Read the stored row, not the caller's copy of it.
    stored = type(obj)._default_manager.get(pk=obj.pk)
    audit("identity_read", actor=user, obj=obj, field=field)
    return getattr(stored, field)
