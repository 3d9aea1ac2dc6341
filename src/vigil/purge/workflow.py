"""Purge: the one hard delete, of a soft-deleted record, approved by two different admins.

One admin requests the purge and another approves it, each proving presence with a code from
their own authenticator. Both steps are entries in the tamper-evident audit log, which is
where a request lives: its id is the sequence number of its audit entry, so a request cannot
be edited or made to disappear without breaking the log. The audit log keeps only the model,
the record's id, a reason code and a row count — never what was deleted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone

from vigil.core.errors import NotFound, ValidationFailed, VigilError
from vigil.core.hard_delete import hard_delete_permitted

if TYPE_CHECKING:
    from vigil.accounts.types import User
    from vigil.core.models import VigilModel

REASONS = ("entered-in-error", "duplicate", "consent-withdrawn", "safety", "legal-obligation")
REQUEST_LIFETIME = dt.timedelta(days=7)
ACTION_REQUEST = "purge-request"
ACTION_APPROVE = "purge-approve"

class PurgeRefused(VigilError):
    """A purge request or approval that the rules do not allow."""

    status = 403


@dataclass(frozen=True)
class PurgeRequest:
    """A pending or past request, read back from its audit entry."""

    id: int
    model: str
    object_id: str
    reason: str
    rows: int
    requested_by: str
    at: dt.datetime


@dataclass
class PurgeResult:
    """What an approved purge deleted: rows per model (versions counted separately)."""

    request: PurgeRequest
    deleted: dict[str, int] = field(default_factory=dict)
    versions: int = 0


def _vigil_model(label: str) -> type[VigilModel]:
    from vigil.core.models import VigilModel

    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise NotFound(
            f"No kind of record called {label!r} (use app.model, e.g. records.person)."
        ) from None
    if not issubclass(model, VigilModel):
        raise ValidationFailed(f"{label} is not a record; only records can be purged.")
    return model


def _record(label: str, object_id: str) -> Any:
    model = _vigil_model(label)
    try:
        obj = model.all_objects.filter(pk=object_id).first()
    except (ValueError, DjangoValidationError):
        raise NotFound(f"{object_id!r} is not a valid {label} id.") from None
    if obj is None:
        raise NotFound(f"No {label} with id {object_id}.")
    return obj


def _generic_references() -> list[tuple[type[models.Model], GenericForeignKey]]:
    return [
        (model, gfk)
        for model in apps.get_models()
        for gfk in model._meta.private_fields
        if isinstance(gfk, GenericForeignKey)
    ]


def purge_plan(obj: models.Model) -> list[models.Model]:
    """The record and every row that depends on it, dependents before what they depend on."""
    seen: set[tuple[str, Any]] = set()
    order: list[models.Model] = []
    generic = _generic_references()

    def visit(row: models.Model) -> None:
        key = (row._meta.label_lower, row.pk)
        if key in seen:
            return
        seen.add(key)
        for rel in row._meta.related_objects:
            if rel.many_to_many or not rel.field.concrete:
                continue  # automatic M2M links go with the row itself
            for child in rel.related_model._base_manager.filter(**{rel.field.name: row}):
                visit(child)
        content_type = ContentType.objects.get_for_model(type(row))
        for model, gfk in generic:
            lookup = {gfk.ct_field: content_type, gfk.fk_field: str(row.pk)}
            for child in model._base_manager.filter(**lookup):
                visit(child)
        order.append(row)

    visit(obj)
    return order


def _check_admin(user: User, code: str) -> None:
    from vigil.accounts.models import Role
    from vigil.accounts.totp import confirmed_device, verify
    from vigil.audit.events import Event
    from vigil.audit.services import audit

    if user is None or not user.is_active or user.role != Role.ADMIN:
        raise PurgeRefused("Only an active administrator can request or approve a purge.")
    device = confirmed_device(user)
    if device is None or not verify(device, code):
        audit(Event.DENIED, actor=user, action="purge", reason="bad_code")
        raise PurgeRefused(f"The authenticator code of {user.get_username()!r} was not accepted.")


def _entries(**filters: Any) -> Any:
    from vigil.audit.events import Event
    from vigil.audit.models import AuditEntry

    return AuditEntry.objects.filter(event=Event.PURGE, **filters)


def _as_request(entry: Any) -> PurgeRequest:
    return PurgeRequest(
        id=entry.seq,
        model=entry.object_type,
        object_id=entry.object_id,
        reason=str(entry.meta.get("reason", "")),
        rows=int(entry.meta.get("count", 0)),
        requested_by=entry.actor_id,
        at=entry.at,
    )


def _closed(request: PurgeRequest) -> bool:
    later = _entries(object_type=request.model, object_id=request.object_id, seq__gt=request.id)
    return bool(later.filter(meta__action__in=[ACTION_APPROVE, ACTION_REQUEST]).exists())


def pending_requests() -> list[PurgeRequest]:
    """Requests neither approved, superseded nor expired, oldest first."""
    since = timezone.now() - REQUEST_LIFETIME
    entries = _entries(meta__action=ACTION_REQUEST, at__gte=since).order_by("seq")
    return [r for r in map(_as_request, entries) if not _closed(r)]


def request_purge(
    label: str, object_id: str, *, reason: str, admin: User, code: str
) -> PurgeRequest:
    """Record one admin's request to purge a soft-deleted record (audited; deletes nothing)."""
    from vigil.audit.events import Event
    from vigil.audit.services import audit

    if reason not in REASONS:
        raise ValidationFailed(f"Unknown reason {reason!r}; one of: {', '.join(REASONS)}.")
    _check_admin(admin, code)
    with transaction.atomic():
        obj = _record(label, object_id)
        if not obj.is_deleted:
            raise PurgeRefused("Only a soft-deleted record can be purged: delete it first.")
        rows = len(purge_plan(obj))
        entry = audit(
            Event.PURGE, actor=admin, obj=obj, action=ACTION_REQUEST, reason=reason, count=rows
        )
    return _as_request(entry)


def approve_purge(request_id: int, *, admin: User, code: str) -> PurgeResult:
    """A second admin approves a pending request: the record and its dependents are deleted."""
    from vigil.audit.events import Event
    from vigil.audit.services import audit
    from vigil.core.history import forget_in_batch, model_label
    from vigil.core.models import Version
    from vigil.search.name_index import prune_tokens

    entry = _entries(seq=request_id, meta__action=ACTION_REQUEST).first()
    if entry is None:
        raise NotFound(f"No purge request {request_id}.")
    request = _as_request(entry)
    if str(getattr(admin, "pk", "")) == request.requested_by:
        raise PurgeRefused("A purge needs a second administrator: you made this request.")
    _check_admin(admin, code)
    with transaction.atomic():
        if _closed(request):
            raise PurgeRefused(f"Purge request {request_id} was already approved or superseded.")
        if timezone.now() - request.at > REQUEST_LIFETIME:
            raise PurgeRefused(f"Purge request {request_id} has expired; request it again.")
        obj = _record(request.model, request.object_id)
        if not obj.is_deleted:
            raise PurgeRefused("The record was restored after the request; nothing was purged.")
        plan = purge_plan(obj)
        if len(plan) != request.rows:
            raise PurgeRefused(
                f"The record changed since the request ({request.rows} rows then, {len(plan)} "
                "now); nothing was purged. Request the purge again."
            )
        audit(
            Event.PURGE,
            actor=admin,
            obj=obj,
            action=ACTION_APPROVE,
            reason=request.reason,
            count=len(plan),
        )
        result = PurgeResult(request=request)
        with hard_delete_permitted():
            for row in plan:
                label, pk = model_label(row), row.pk
                # A record a bulk write created: out of its batch (a version 1 still derived
                # from its row goes with the row).
                derived = forget_in_batch(row)
                try:
                    row.delete()
                except (ProtectedError, RestrictedError) as exc:
                    raise PurgeRefused(
                        f"{label} {pk} is still referenced by rows Vigil cannot purge "
                        f"({len(exc.args[1])}); nothing was purged."
                    ) from None
                result.deleted[label] = result.deleted.get(label, 0) + 1
                # The history's snapshots hold the values a purge exists to remove.
                result.versions += Version.objects.filter(model=label, object_id=pk).delete()[0]
                result.versions += derived
        # The name index's vocabulary keeps a word no stored name holds until told: a purged
        # name's words go with it (its forms went when the record was soft-deleted).
        prune_tokens()
    return result
