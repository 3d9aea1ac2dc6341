"""The list pages and the export of their current view: parse the request, call, render."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil.accounts.stepup import StepUpRequired, step_up_url
from vigil.core.errors import VigilError
from vigil.records.entry import may_record
from vigil.web.exports import export_view
from vigil.web.listing import filtered, list_page
from vigil.web.lists import SPECS

if TYPE_CHECKING:
    from vigil.accounts.types import SignedInRequest


def _spec(name: str):
    if name not in SPECS:
        raise Http404
    return SPECS[name]


@login_required
def record_list(request: SignedInRequest, name: str) -> HttpResponse:
    """One of the five lists, filtered, sorted and paginated by its GET parameters."""
    spec = _spec(name)
    result = list_page(spec, request.user, request.GET)
    template = "vigil/list_table.html" if request.headers.get("HX-Request") else "vigil/list.html"
    context = {
        "result": result,
        "export_url": reverse(f"web:{spec.name}_export"),
        "may_record": may_record(request.user),
    }
    return render(request, template, context)


@login_required
@require_POST
def record_export(request: SignedInRequest, name: str) -> HttpResponse:
    """Export the list's current view (``view`` holds its query) as CSV or XLSX."""
    spec = _spec(name)
    view = request.POST.get("view", "")[:2000]
    back = f"{reverse(f'web:{spec.name}')}?{view}" if view else reverse(f"web:{spec.name}")
    _form, queryset = filtered(spec, request.user, QueryDict(view))
    try:
        result = export_view(
            request.user,
            queryset,
            tuple(spec.export_fields),
            request.POST.get("format", "csv"),
            request=request,
        )
    except StepUpRequired:
        messages.info(
            request,
            _(
                "This view holds unpublished records, so exporting it is a bulk export: confirm "
                "with a code from your authenticator app, then press Export again."
            ),
        )
        return HttpResponseRedirect(step_up_url(back))
    except VigilError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(back)
    if result.encrypted:
        messages.success(
            request,
            _(
                "Your export of %(n)s rows was a bulk export: logged, counted against your daily "
                "quota and encrypted to the organisation's recipients (a .age file)."
            )
            % {"n": result.count},
        )
    response = HttpResponse(result.data, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Vigil-Export"] = urlencode(
        {"encrypted": int(result.encrypted), "rows": result.count}
    )
    return response
