"""Export of a list's current view as CSV or XLSX, always through the policy's export service."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from vigil.core.errors import ValidationFailed
from vigil.policy import export as export_service

if TYPE_CHECKING:
    from django.http import HttpRequest

    from vigil.accounts.types import User

FORMATS = ("csv", "xlsx")


def export_view(
    user: User,
    queryset: QuerySet[Any],
    fields: tuple[str, ...],
    fmt: str,
    *,
    request: HttpRequest | None = None,
) -> export_service.ExportResult:
    """Export ``queryset`` (the list as filtered, unpaginated) through the export service.

    Rows that are all published download plainly; anything else is a bulk export (step-up,
    quota, audit, age-encrypted): the service writes the file, so the encryption and the
    audit cover the very bytes handed out.
    """
    if fmt not in FORMATS:
        raise ValidationFailed("Lists are exported as CSV or XLSX.")
    return export_service.export(user, queryset, fields, fmt, request=request)
