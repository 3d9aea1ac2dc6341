"""The risk pages: the at-risk list, the model card, register actions, cross-source links.

Thin: check the role (``require_risk``, denied and audited for other roles), call the domain
modules, render. Every page that shows a score audits the view (``vigil.warning.reading``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from vigil.accounts.auditing import audit
from vigil.core.errors import Forbidden, VigilError
from vigil.policy.access import require_risk
from vigil.warning import labels, links, register
from vigil.warning.charts import calibration_chart
from vigil.warning.labels import LINK_MODES, RECORD_SETS
from vigil.warning.models import LinkStatus, RegisterStatus
from vigil.warning.notes import backtest_note, fit_note, stored_backtest_error
from vigil.warning.reading import latest_fit, rows_for, scores_of

if TYPE_CHECKING:
    from vigil.accounts.types import SignedInRequest

PAGE_SIZE = 50


def _require(request: HttpRequest, action: str = "view") -> None:
    try:
        match = request.resolver_match
        assert match is not None, "a view is reached through the URL resolver"
        require_risk(request.user, action, route=match.view_name)
    except Forbidden:
        raise PermissionDenied from None


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = default
    return HttpResponseRedirect(target or default)


@login_required
@require_GET
def at_risk(request: SignedInRequest) -> HttpResponse:
    """Persons with their current risk, trend, top reasons, last signal and actions."""
    _require(request)
    fit = latest_fit(request.user)
    only = "above" if request.GET.get("only") == "above" else ""
    page = rows = None
    if fit is not None:
        page = Paginator(scores_of(request.user, fit, only), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        rows = rows_for(request.user, fit, page.object_list, "warning:at_risk")
    context = {
        "fit": fit,
        "page": page,
        "rows": rows,
        "only": only,
        "entries": register.entries(request.user).order_by("status", "-status_since"),
        "statuses": RegisterStatus.choices,
    }
    return render(request, "warning/at_risk.html", context)


@login_required
@require_GET
def model_card(request: SignedInRequest) -> HttpResponse:
    """Data used, events, backtest figures with intervals, baselines, limits, date of last fit."""
    _require(request)
    fit = latest_fit(request.user)
    audit("risk_view", actor=request.user, action="model_card", count=1 if fit else 0,
          route="warning:model_card")  # fmt: skip
    bt = (fit.backtest if fit else {}) or {}
    baselines = [
        {"name": name, "label": labels.BASELINES.get(name, name), **figures}
        for name, figures in (bt.get("baselines") or {}).items()
    ]
    coefficients = sorted(
        (
            (labels.LABELS.get(k, k), v)
            for k, v in (fit.coefficients if fit else {}).items()
            if abs(v) > 0
        ),
        key=lambda kv: -abs(kv[1]),
    )
    context = {
        "fit": fit,
        "bt": bt,
        # The notes in the page's language, written again from the fit's figures.
        "fit_note": (
            fit_note(fit.method, fit.training_events, fit.min_events, fit.as_of)
            if fit and fit.note
            else ""
        ),
        "bt_note": backtest_note(bt, fit.min_events) if fit and bt.get("note") else "",
        "bt_error": stored_backtest_error(bt) if bt.get("error") else "",
        "baselines": baselines,
        "coefficients": coefficients,
        "calibration": calibration_chart(
            (bt.get("model") or {}).get("calibration") or [],
            label=_("Calibration: predicted against observed, by decile"),
            x_label=_("predicted"),
            y_label=_("observed"),
        ),
        "acts_by_type": _acts_by_type(fit),
        "first_act": _iso_day((fit.data or {}).get("first_act")) if fit else None,
        "last_act": _iso_day((fit.data or {}).get("last_act")) if fit else None,
        "links_label": LINK_MODES.get(fit.links, fit.links) if fit else "",
        "records_label": (
            RECORD_SETS.get(str(fit.data.get("records")), "") if fit and fit.data else ""
        ),
    }
    return render(request, "warning/model_card.html", context)


def _iso_day(value: Any) -> dt.date | None:
    """A stored ISO date back as a date (None when absent or unreadable)."""
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _acts_by_type(fit: Any) -> list[tuple[str, int]]:
    """The fit's twelve commonest act types, by their label in the reader's language."""
    from vigil.records.models import Term

    counts = ((fit.data if fit else {}) or {}).get("acts_by_type") or {}
    top = sorted(counts.items(), key=lambda kv: -kv[1])[:12]
    terms = Term.objects.filter(vocabulary="act_type", key__in=[key for key, _n in top])
    names = {t.key: t.label() for t in terms}
    return [(names.get(key, key.replace("_", " ")), n) for key, n in top]


@login_required
@require_POST
def register_add(request: SignedInRequest) -> HttpResponse:
    """Put a person (``person`` id in the form) on the watched register."""
    _require(request, "add")
    try:
        person = uuid.UUID(request.POST.get("person", ""))
    except ValueError:
        raise Http404 from None
    try:
        _entry, created = register.add(request.user, person, request.POST.get("reason", ""))
    except VigilError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Added to the register; you now watch this person.")
            if created
            else _("This person is already on the register."),
        )
    return _back(request, reverse("warning:at_risk"))


@login_required
@require_POST
def register_status(request: SignedInRequest, pk: Any) -> HttpResponse:
    """Mark a person watched, relocated, safe or arrested on the register."""
    _require(request, "change")
    try:
        register.set_status(request.user, pk, request.POST.get("status", ""))
    except VigilError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The register was updated."))
    return _back(request, reverse("warning:at_risk"))


@login_required
def cross_links(request: SignedInRequest) -> HttpResponse:
    """Offered ZUBR ↔ other-source links: confirm or reject (POST ``link``, ``decision``)."""
    _require(request, "change" if request.method == "POST" else "view")
    if request.method == "POST":
        try:
            decision = request.POST.get("decision", "")
            links.decide_link(request.user, request.POST.get("link"), decision)
        except VigilError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The link decision was saved."))
        return HttpResponseRedirect(reverse("warning:links"))
    status = request.GET.get("status", LinkStatus.OFFERED)
    if status not in LinkStatus.values:
        status = LinkStatus.OFFERED
    page = Paginator(links.links_for(request.user, status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "status": status, "statuses": LinkStatus.choices}
    return render(request, "warning/links.html", context)
