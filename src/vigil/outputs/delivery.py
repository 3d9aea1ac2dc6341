"""Sending a draft or report drawn from records: the one export workflow of the download views.

The user must be allowed to export every record the document draws on; unless all of it is
public, a recent second factor is needed and the download counts against the daily quota.
Every download is audited (exports are, per security.md), with the file's size and hash.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import Model, QuerySet
from django.http import HttpResponse, HttpResponseRedirect

from vigil.accounts.stepup import StepUpRequired, require_recent_2fa, step_up_url
from vigil.core.errors import QuotaExceeded, ValidationFailed
from vigil.outputs.exporting import all_public, may_export_all
from vigil.policy.auditing import audit
from vigil.policy.quotas import consume

if TYPE_CHECKING:
    from vigil.accounts.types import SignedInRequest
    from vigil.outputs.render import RenderedFile


def _text(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def send_drawn_file(
    request: SignedInRequest,
    obj: Model,
    records: list[QuerySet[Any]],
    build: Callable[[], RenderedFile],
    *,
    route: str,
    refused: str,
) -> HttpResponse:
    """Build the file about ``obj`` from ``records`` and send it as an attachment.

    ``refused`` is the (translated) refusal shown when a record may not be exported.
    """
    user = request.user
    if not may_export_all(user, records):
        audit("denied", actor=user, obj=obj, action="export", route=route)
        return _text(refused, 403)
    public = all_public(records)
    if not public:
        try:
            require_recent_2fa(request)
        except StepUpRequired:
            return HttpResponseRedirect(step_up_url(request.get_full_path()))
    try:
        result = build()
    except ValidationFailed as exc:
        return _text(exc.message, 400)
    if not public:
        try:
            consume(user, "export")
        except QuotaExceeded as exc:
            return _text(exc.message, exc.status)
    audit(
        "export",
        actor=user,
        obj=obj,
        action="export",
        format=result.filename.rsplit(".", 1)[-1],
        route=route,
        sha256=hashlib.sha256(result.content).hexdigest(),
        size=len(result.content),
    )
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    response["Cache-Control"] = "no-store"
    return response
