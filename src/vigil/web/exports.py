"""Export of a list's current view as CSV or XLSX, always through the policy's export service."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook

from vigil.core.errors import ValidationFailed
from vigil.policy import export as export_service
from vigil.policy.access import restrict
from vigil.policy.public import public_fields, published

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class ListExport:
    """The file to send and whether it went out as a bulk (encrypted, audited) export."""

    data: bytes
    filename: str
    content_type: str
    encrypted: bool
    count: int


def all_published(user: Any, queryset: QuerySet[Any], fields: tuple[str, ...]) -> bool:
    """Whether every row ``user`` would export is published and every field public."""
    model = queryset.model
    if not set(fields) <= set(public_fields(model)):
        return False
    rows = restrict(user, "export", queryset)
    return not rows.exclude(pk__in=published(model).values("pk")).exists()


def _xlsx(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("export")
    sheet.append(list(columns))
    for row in rows:
        sheet.append(["" if row.get(c) is None else row.get(c) for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_view(
    user: Any,
    queryset: QuerySet[Any],
    fields: tuple[str, ...],
    fmt: str,
    *,
    request: Any = None,
) -> ListExport:
    """Export ``queryset`` (the list as filtered, unpaginated) through the export service.

    Rows that are all published download plainly; anything else is a bulk export (step-up,
    quota, audit, age-encrypted). The service writes CSV and JSON; XLSX of published rows is
    written here from the service's JSON, and XLSX of unpublished rows needs the service to
    write XLSX itself, so that the encryption and the audit cover the very bytes handed out.
    """
    if fmt not in FORMATS:
        raise ValidationFailed("Lists are exported as CSV or XLSX.")
    if fmt == "csv" or fmt in export_service.FORMATS:
        result = export_service.export(user, queryset, fields, fmt, request=request)
        return ListExport(
            result.data, result.filename, result.content_type, result.encrypted, result.count
        )
    if not all_published(user, queryset, fields):
        raise ValidationFailed(
            "This view holds unpublished records: XLSX is available for published records "
            "only for now. Export it as CSV, which is encrypted to the organisation's "
            "recipients."
        )
    result = export_service.export(user, queryset, fields, "json", request=request)
    if result.encrypted:  # the rows changed between the check and the export
        raise ValidationFailed("The view changed while exporting; try again.")
    # Public fields are named by their column (``kind_id``), as the service's rows are keyed.
    data = _xlsx(json.loads(result.data), fields)
    name = result.filename.rsplit(".", 1)[0] + ".xlsx"
    return ListExport(data, name, XLSX, False, result.count)
