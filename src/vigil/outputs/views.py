"""One-click downloads of the drafts: /outputs/<kind>/<person uuid>.<docx|pdf>."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from vigil.core.errors import ValidationFailed
from vigil.outputs.services import BUILDERS, draft_file
from vigil.records.models import Person


@require_GET
@login_required
def download(request: HttpRequest, kind: str, person_id: uuid.UUID, fmt: str) -> HttpResponse:
    """Build the draft and send it as an attachment; synthetic persons are refused."""
    if kind not in BUILDERS:
        raise Http404("no such draft")
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise Http404("no such person")
    try:
        result = draft_file(kind, person, fmt)
    except ValidationFailed as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    response["Cache-Control"] = "no-store"
    return response
