"""One-click downloads of the drafts: /outputs/<kind>/<person uuid>.<docx|pdf>.

A draft is an export of everything the record holds about the person: the user must be allowed
to export each record it draws on; unless all of it is public, a recent second factor is needed,
the export counts against the daily quota and is audited.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_GET

from vigil.accounts.stepup import StepUpRequired, require_recent_2fa, step_up_url
from vigil.core.errors import QuotaExceeded, ValidationFailed
from vigil.outputs.exporting import all_public, drawn_on, may_export_all
from vigil.outputs.services import BUILDERS, draft_file
from vigil.policy.access import restrict
from vigil.policy.auditing import audit
from vigil.policy.quotas import consume
from vigil.records.models import Person

if TYPE_CHECKING:
    from vigil.accounts.types import SignedInRequest

ROUTE = "outputs:download"


def _text(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


@require_GET
@login_required
def download(request: SignedInRequest, kind: str, person_id: uuid.UUID, fmt: str) -> HttpResponse:
    """Build the draft and send it as an attachment; synthetic persons are refused."""
    if kind not in BUILDERS:
        raise Http404("no such draft")
    user = request.user
    person = restrict(user, "view", Person.objects.filter(pk=person_id)).first()
    if person is None:
        # A hidden person and a missing one look the same.
        raise Http404("no such person")
    records = drawn_on(person)
    if not may_export_all(user, records):
        audit("denied", actor=user, obj=person, action="export", route=ROUTE)
        return _text("This draft draws on records you may not export.", 403)
    public = all_public(records)
    if not public:
        try:
            require_recent_2fa(request)
        except StepUpRequired:
            return HttpResponseRedirect(step_up_url(request.get_full_path()))
    try:
        result = draft_file(user, kind, person, fmt)
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
            obj=person,
            action="export",
            format=fmt,
            route=ROUTE,
            sha256=hashlib.sha256(result.content).hexdigest(),
            size=len(result.content),
        )
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    response["Cache-Control"] = "no-store"
    return response
