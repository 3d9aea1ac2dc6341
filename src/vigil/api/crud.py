"""Generic list, read, create, change and soft-delete endpoints for one record type.

Every endpoint goes through the access policy: reads through ``restrict`` (hidden is 404 like
missing), writes through ``save_checked`` inside an "api" change context naming the token's
user, changes against the ``version`` the client read (stale is 409), deletes soft with a reason.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from vigil.api.auth import api_user
from vigil.api.common import Paged, visible, visible_or_404, writing
from vigil.api.errors import InvalidField
from vigil.api.present import Visibility
from vigil.api.schemas.common import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, DeleteIn
from vigil.core.dates import UncertainDate
from vigil.core.errors import Forbidden
from vigil.core.models import VigilModel
from vigil.policy.access import allows, save_checked
from vigil.policy.identity import identity_fields
from vigil.records.models import Term

if TYPE_CHECKING:
    from vigil.accounts.types import User

Presenter = Callable[[Visibility, list[Any]], Sequence[Schema]]
DATE_FIELDS = ("date", "date_precision", "date_end", "date_text")


class Writer:
    """One write request: its user, and how ids and vocabulary keys in the body resolve."""

    def __init__(self, request: HttpRequest, user: "User") -> None:
        self.request = request
        self.user = user
        self.seen = Visibility(user)

    def record(self, model: type[models.Model], pk: Any, name: str) -> Any:
        """The ``model`` record ``pk`` the user may view; else a 404 naming body field ``name``."""
        found = visible(self.request, model._default_manager.filter(pk=pk)).first()
        if found is None:  # missing and hidden alike
            raise InvalidField(name, f"No {model._meta.verbose_name} with this id.", 404)
        return found

    def term(self, vocabulary: str, key: str, name: str) -> str:
        """The id of term ``key`` (or ``vocabulary.key``) of ``vocabulary``; else a 404."""
        pk = key if key.startswith(f"{vocabulary}.") else Term.pk_for(vocabulary, key)
        if not Term.objects.filter(pk=pk, vocabulary=vocabulary).exists():
            raise InvalidField(name, f"No term with this key in the {vocabulary} vocabulary.", 404)
        return pk

    def add(self, obj: Any) -> Any:
        """Save a new record for the user, refused (403) when the policy does not allow it."""
        return save_checked(self.user, "add", obj)


@dataclass(frozen=True)
class Resource:
    """How one record type is read and written through the API."""

    name: str  # singular, for operation ids and messages
    path: str  # "/organisations"
    model: type[VigilModel]
    out: type[Schema]
    create: type[Schema]
    update: type[Schema]
    filters: type[Schema]
    present: Presenter
    select: Callable[[HttpRequest, Any], QuerySet[Any]]  # visible, filtered, ordered
    refs: dict[str, type[models.Model]] = field(default_factory=dict)  # body field → model
    terms: dict[str, str] = field(default_factory=dict)  # body field → vocabulary
    numbers: dict[str, int] = field(default_factory=dict)  # body field → decimal places
    nested: frozenset[str] = frozenset()  # body fields handled by ``after_save``
    clearable: frozenset[str] = frozenset()  # fields a PATCH may set to null
    inherit: str | None = None  # the parent whose confidentiality a new record takes
    check: Callable[[Any], None] | None = None  # rules across fields, before saving
    after_save: Callable[[Writer, Any, dict[str, Any], bool], None] | None = None
    build: Callable[[Writer, Any], Any] | None = None  # records a new one its own way


def assign(writer: Writer, resource: Resource, obj: Any, data: dict[str, Any]) -> None:
    """Set body fields on ``obj``: ids and terms resolved, decimals exact, dates parsed."""
    for name, value in data.items():
        if name == "date_text":
            continue
        if name in resource.refs:
            target = None if value is None else writer.record(resource.refs[name], value, name)
            setattr(obj, name, target)
        elif name in resource.terms:
            term = None if value is None else writer.term(resource.terms[name], value, name)
            setattr(obj, f"{name}_id", term)
        elif name in resource.numbers and value is not None:
            setattr(obj, name, Decimal(f"{value:.{resource.numbers[name]}f}"))
        else:
            setattr(obj, name, value)
    if data.get("date_text") is not None:
        set_date_text(obj, data["date_text"])
    if "date_end" in data or "date" in data:
        if obj.date_end is not None and (obj.date is None or obj.date_end < obj.date):
            raise InvalidField("date_end", "The end of a date range comes before its start.")


def set_date_text(obj: Any, text: str) -> None:
    """Store an uncertain date written as text ("2011", "March 2021") on ``obj``."""
    try:
        parsed = UncertainDate.parse(text)
    except ValueError as error:
        raise InvalidField("date_text", str(error)) from None
    if parsed is None:
        obj.date, obj.date_precision, obj.date_end = None, "unknown", None
    else:
        obj.date, obj.date_precision, obj.date_end = parsed.start, parsed.precision, parsed.end


def guard_identity(user: "User", obj: Any, changes: dict[str, Any]) -> None:
    """Refuse to overwrite identity fields the user may not read (the history keeps no copy)."""
    touched = identity_fields(obj) & set(changes)
    if touched and not allows(user, "reveal_identity", obj):
        raise Forbidden("You may not change who this witness is or how to reach them.")


def create_record(request: HttpRequest, resource: Resource, payload: Schema) -> Any:
    """Build, check and save a new record and its nested rows; the record."""
    data = payload.dict(exclude=set(resource.nested))
    nested = payload.dict(include=set(resource.nested))
    level = data.pop("confidentiality", None)
    # An omitted optional field keeps the model's default; a null is stored only where allowed.
    data = {k: v for k, v in data.items() if v is not None or _nullable(resource.model, k)}
    with writing(request) as user:
        writer = Writer(request, user)
        if resource.build is not None:
            return resource.build(writer, payload)
        obj = resource.model()
        if hasattr(obj, "date_precision") and "date_precision" not in data:
            data["date_precision"] = "day" if data.get("date") else "unknown"
        assign(writer, resource, obj, data)
        parent = getattr(obj, resource.inherit) if resource.inherit else None
        obj.confidentiality = level or getattr(parent, "confidentiality", None) or "internal"
        if resource.check is not None:
            resource.check(obj)
        writer.add(obj)
        if resource.after_save is not None:
            resource.after_save(writer, obj, nested, True)
    return obj


def _nullable(model: type[models.Model], name: str) -> bool:
    try:
        return bool(model._meta.get_field(name).null)
    except FieldDoesNotExist:  # not a model field (date_text): nothing to store
        return False


def update_record(request: HttpRequest, resource: Resource, id: UUID, payload: Any) -> Any:
    """Apply a PATCH based on ``payload.version``; a stale version is a 409."""
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    changes = {k: v for k, v in changes.items() if v is not None or k in resource.clearable}
    nested = {k: changes.pop(k) for k in list(changes) if k in resource.nested}
    with writing(request) as user:
        writer = Writer(request, user)
        obj = visible_or_404(request, resource.model._default_manager.all(), id)
        guard_identity(user, obj, changes)
        assign(writer, resource, obj, changes)
        if resource.check is not None:
            resource.check(obj)
        # The version the client read, so a concurrent change surfaces as a conflict.
        obj.version = payload.version
        save_checked(user, "change", obj)
        if resource.after_save is not None:
            resource.after_save(writer, obj, nested, False)
    return obj


def delete_record(
    request: HttpRequest, model: type[VigilModel], id: UUID, body: DeleteIn
) -> None:
    """Soft-delete a visible record with a reason, based on ``body.version``."""
    with writing(request) as user:
        obj = visible_or_404(request, model._default_manager.all(), id)
        obj.version = body.version
        save_checked(user, "delete", obj, reason=body.reason)


def register(router: Router, r: Resource) -> None:
    """Add list, detail, create, change and delete operations for ``r`` to ``router``."""
    plural = r.path.strip("/").replace("-", "_")

    def present_one(request: HttpRequest, obj: Any) -> Schema:
        return r.present(Visibility(api_user(request)), [obj])[0]

    def prepare(request: HttpRequest, items: list[Any]) -> Sequence[Schema]:
        return r.present(Visibility(api_user(request)), items)

    @router.get(
        r.path,
        response={200: list[r.out], **LIST_ERRORS},  # type: ignore[name-defined]
        operation_id=f"list_{plural}",
        url_name=f"list_{plural}",
        summary=f"List {r.name} records",
        description=f"The {r.name} records the token's user may see, filtered and paginated.",
    )
    @paginate(Paged, prepare=prepare)
    def list_view(request: HttpRequest, filters: Query[r.filters]) -> Any:  # type: ignore[name-defined]
        return r.select(request, filters)

    @router.get(
        f"{r.path}/{{id}}",
        response={200: r.out, **READ_ERRORS},
        operation_id=f"get_{r.name.replace(' ', '_')}",
        url_name=f"get_{r.name.replace(' ', '_')}",
        summary=f"Read one {r.name}",
        description=f"One {r.name}; a hidden one is a 404 exactly like a missing one.",
    )
    def get_view(request: HttpRequest, id: UUID) -> Any:
        return present_one(request, visible_or_404(request, r.model._default_manager.all(), id))

    @router.post(
        r.path,
        response={201: r.out, **WRITE_ERRORS},
        operation_id=f"create_{r.name.replace(' ', '_')}",
        url_name=f"create_{r.name.replace(' ', '_')}",
        summary=f"Record a new {r.name}",
        description=f"Record a new {r.name} (documenters and above; publishing: coordinators).",
    )
    def create_view(request: HttpRequest, payload: r.create) -> Any:  # type: ignore[name-defined]
        return Status(201, present_one(request, create_record(request, r, payload)))

    @router.patch(
        f"{r.path}/{{id}}",
        response={200: r.out, **WRITE_ERRORS},
        operation_id=f"update_{r.name.replace(' ', '_')}",
        url_name=f"update_{r.name.replace(' ', '_')}",
        summary=f"Change a {r.name}",
        description="Send the version you read; a stale version is refused with 409.",
    )
    def update_view(request: HttpRequest, id: UUID, payload: r.update) -> Any:  # type: ignore[name-defined]
        return present_one(request, update_record(request, r, id, payload))

    @router.delete(
        f"{r.path}/{{id}}",
        response={204: None, **WRITE_ERRORS},
        operation_id=f"delete_{r.name.replace(' ', '_')}",
        url_name=f"delete_{r.name.replace(' ', '_')}",
        summary=f"Delete a {r.name} (soft, with a reason)",
        description="Hides the record, keeping it and its history; needs the version and a reason.",
    )
    def delete_view(request: HttpRequest, id: UUID, payload: DeleteIn) -> Any:
        delete_record(request, r.model, id, payload)
        return Status(204, None)
