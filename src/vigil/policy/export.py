"""Exports: published data plainly; anything else stepped-up, counted, audited, age-encrypted."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyrage
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from vigil.core.errors import ConfigurationError, Forbidden, ValidationFailed
from vigil.core.spreadsheet import csv_text, xlsx_bytes
from vigil.policy.access import restrict, role_of
from vigil.policy.auditing import audit
from vigil.policy.identity import identity_fields
from vigil.policy.public import public_fields, published
from vigil.policy.quotas import consume
from vigil.policy.stepup import require_step_up

if TYPE_CHECKING:
    from django.http import HttpRequest

    from vigil.accounts.types import User

FORMATS = {
    "csv": "text/csv",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class ExportResult:
    """A finished export: bytes to hand over and what they are."""

    data: bytes
    filename: str
    content_type: str
    encrypted: bool
    count: int


def export_recipients() -> list[Any]:
    """The organisation's age recipients from ``VIGIL_EXPORT_RECIPIENTS``; refuse when none."""
    configured = getattr(settings, "VIGIL_EXPORT_RECIPIENTS", None) or []
    if isinstance(configured, str):
        configured = configured.replace(",", " ").split()
    if not configured:
        raise ConfigurationError(
            "Exports of unpublished data are encrypted to the organisation's age recipients, "
            "and none are configured. Set VIGIL_EXPORT_RECIPIENTS to one or more age public "
            "keys (age1...) of the people who may open exports."
        )
    recipients = []
    for text in configured:
        try:
            if text.startswith("ssh-"):
                recipients.append(pyrage.ssh.Recipient.from_str(text))
            else:
                recipients.append(pyrage.x25519.Recipient.from_str(text))
        except pyrage.RecipientError as exc:
            raise ConfigurationError(
                f"VIGIL_EXPORT_RECIPIENTS holds a value that is not an age recipient: "
                f"{text[:12]}..."
            ) from exc
    return recipients


def _columns(model: type[models.Model], fields: Sequence[str]) -> list[str]:
    by_name = {}
    for field in model._meta.concrete_fields:
        by_name[field.name] = field.attname
        by_name[field.attname] = field.attname
    unknown = [f for f in fields if f not in by_name]
    if unknown or not fields:
        raise ValidationFailed(
            f"Cannot export {', '.join(unknown) or 'no fields'}: "
            f"not fields of {model._meta.verbose_name}."
        )
    return [by_name[f] for f in fields]


def _serialise(rows: list[dict[str, Any]], columns: list[str], fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode()
    cells = ([row[c] for c in columns] for row in rows)
    if fmt == "xlsx":
        return xlsx_bytes(columns, cells, title="export")
    return csv_text(columns, cells).encode()


def export(
    user: User,
    queryset: models.QuerySet[Any],
    fields: Sequence[str],
    format: str = "csv",  # noqa: A002 - the brief's name for it
    *,
    request: HttpRequest | None = None,
) -> ExportResult:
    """Export the rows of ``queryset`` ``user`` may export, with ``fields``, as ``format``."""
    model = queryset.model
    if format not in FORMATS:
        raise ValidationFailed(f"Exports are written as {' or '.join(FORMATS)}.")
    columns = _columns(model, fields)
    if set(columns) & identity_fields(model):
        raise Forbidden("Identity fields are never exported; reveal them one record at a time.")
    public_ids = published(model).values("pk")
    if role_of(user) is None:
        rows_qs = queryset.filter(pk__in=public_ids)
    else:
        rows_qs = restrict(user, "export", queryset)
    is_published = (
        set(columns) <= set(public_fields(model))
        and not rows_qs.exclude(pk__in=public_ids).exists()
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    name = f"vigil-{model._meta.model_name}-{stamp}.{format}"
    if is_published:
        rows = list(rows_qs.values(*columns))
        return ExportResult(
            _serialise(rows, columns, format), name, FORMATS[format], False, len(rows)
        )
    return _encrypted(
        user,
        lambda: _serialise(list(rows_qs.values(*columns)), columns, format),
        name,
        format,
        request=request,
        count=lambda: rows_qs.count(),
    )


def _encrypted(
    user: User,
    build: Any,
    name: str,
    format: str,  # noqa: A002
    *,
    request: HttpRequest | None,
    count: Any,
) -> ExportResult:
    if role_of(user) is None:
        raise Forbidden("Only published data can be downloaded without signing in.")
    recipients = export_recipients()
    require_step_up(request)
    consume(user, "export")
    rows = count()
    data = pyrage.encrypt(build(), recipients)
    audit(
        "export",
        actor=user,
        count=rows,
        format=format,
        recipients=len(recipients),
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )
    return ExportResult(data, f"{name}.age", "application/octet-stream", True, rows)


def export_table(
    user: User,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    format: str,  # noqa: A002
    *,
    name: str,
    request: HttpRequest | None = None,
) -> ExportResult:
    """Export rows a service built itself (already cut to what ``user`` may see, no identity
    fields) as CSV or XLSX: stepped-up, counted, audited and age-encrypted like any
    unpublished export."""
    if format not in ("csv", "xlsx"):
        raise ValidationFailed("This export is written as csv or xlsx.")
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")

    def build() -> bytes:
        if format == "xlsx":
            return xlsx_bytes(list(header), rows, title=name[:31])
        return csv_text(list(header), rows).encode()

    return _encrypted(
        user,
        build,
        f"vigil-{name}-{stamp}.{format}",
        format,
        request=request,
        count=lambda: len(rows),
    )
