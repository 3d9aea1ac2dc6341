"""The notifications page and marking read: parse, call the service, render."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from vigil.alerts import feed
from vigil.alerts.digest import cadence_of, digest_hour, set_cadence
from vigil.alerts.messages import path_of, text_of
from vigil.alerts.models import Cadence
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


@login_required
def settings_page(request: SignedInRequest) -> HttpResponse:
    """How alert e-mails arrive (at once or a daily digest) and the Atom feed address."""
    if request.method == "POST":
        cadence = request.POST.get("cadence", "")
        if cadence in Cadence.values:
            set_cadence(request.user, cadence)
            messages.success(request, _("Your e-mail setting is saved."))
            return HttpResponseRedirect(reverse("alerts:settings"))
        messages.error(request, _("Choose how you want to receive alert e-mails."))
    token = request.session.pop("alerts_feed_token", None)
    context = {
        "cadence": cadence_of(request.user),
        "cadences": Cadence.choices,
        "digest_hour": f"{digest_hour():02d}:00",
        "has_email": bool(request.user.email),
        "token": token,
        "feed_url": request.build_absolute_uri(reverse("alerts:feed", args=[token]))
        if token
        else "",
        "active": feed.active(request.user),
    }
    return render(request, "alerts/settings.html", context)


@require_POST
@login_required
def feed_token(request: SignedInRequest) -> HttpResponse:
    """Issue a new Atom feed address (revoking the old one), or revoke it with ``revoke``."""
    if request.POST.get("revoke"):
        feed.revoke(request.user)
        messages.success(request, _("The notification feed address is revoked."))
    else:
        request.session["alerts_feed_token"] = feed.issue(request.user)
    return HttpResponseRedirect(reverse("alerts:settings"))


@require_GET
def atom_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The Atom feed of the token's user; an unknown or revoked token is a 404."""
    user = feed.user_for(token)
    if user is None:
        raise Http404
    response = HttpResponse(feed.atom(user, token), content_type="application/atom+xml")
    response["Cache-Control"] = "no-store"
    return response
