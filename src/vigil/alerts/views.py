"""The notifications page and marking read: parse, call the service, render."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from vigil.alerts.messages import path_of, text_of
from vigil.alerts.notifications import mark_read, visible_notifications
from vigil.alerts.watching import WATCHABLE, unwatch, watch
from vigil.core.errors import NotFound
from vigil.policy.access import restrict

if TYPE_CHECKING:
    from vigil.accounts.types import SignedInRequest

PAGE_SIZE = 50


@login_required
def notification_list(request: SignedInRequest) -> HttpResponse:
    """The signed-in user's notifications they may still see, newest first."""
    rows = visible_notifications(request.user).select_related("target_type")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [
        {
            "id": n.pk,
            "text": text_of(n.kind, n.target_type.model),
            "link": path_of(n.target_type.model, str(n.target_id)),
            "created_at": n.created_at,
            "unread": n.read_at is None,
        }
        for n in page
    ]
    return render(request, "alerts/list.html", {"items": items, "page": page})


@require_POST
@login_required
def read(request: SignedInRequest) -> HttpResponse:
    """Mark one notification (``id`` in the form) or all of them read."""
    raw = request.POST.get("id", "")
    try:
        notification_id = str(uuid.UUID(raw)) if raw else None
    except ValueError:
        notification_id = "00000000-0000-0000-0000-000000000000"  # matches nothing
    mark_read(request.user, notification_id)
    return HttpResponseRedirect(reverse("alerts:list"))


@require_POST
@login_required
def watch_toggle(request: SignedInRequest) -> HttpResponse:
    """Watch (or, with ``stop``, stop watching) the record named by ``type`` and ``id``."""
    models = {m._meta.model_name: m for m in WATCHABLE}
    model = models.get(request.POST.get("type", ""))
    try:
        pk = uuid.UUID(request.POST.get("id", ""))
    except ValueError:
        raise Http404 from None
    if model is None:
        raise Http404
    record = restrict(request.user, "view", model._default_manager.filter(pk=pk)).first()
    if record is None:
        raise Http404
    try:
        if request.POST.get("stop"):
            unwatch(request.user, record)
        else:
            watch(request.user, record)
    except NotFound:
        raise Http404 from None
    return HttpResponseRedirect(path_of(str(model._meta.model_name), str(pk)))
