"""One-click downloads of the drafts: /outputs/<kind>/<person uuid>.<docx|pdf>.

A draft is an export of everything the record holds about the person: the user must be allowed
to export each record it draws on; unless all of it is public, a recent second factor is needed,
the export counts against the daily quota and is audited.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from vigil.outputs.delivery import send_drawn_file
from vigil.outputs.exporting import drawn_on
from vigil.outputs.services import BUILDERS, draft_file
from vigil.policy.access import restrict
from vigil.records.models import Person

if TYPE_CHECKING:
    from vigil.accounts.types import SignedInRequest

ROUTE = "outputs:download"


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
    return send_drawn_file(
        request,
        person,
        drawn_on(person),
        lambda: draft_file(user, kind, person, fmt),
        route=ROUTE,
        refused="This draft draws on records you may not export.",
    )
