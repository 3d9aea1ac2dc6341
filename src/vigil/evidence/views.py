"""Evidence downloads: the original or a metadata-free copy, always as an attachment."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseForbidden,
    HttpResponseNotAllowed,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from vigil.core.errors import Forbidden, NotFound, VigilError
from vigil.evidence.access import open_original, shared_copy
from vigil.evidence.attach import (
    TARGETS,
    attach_upload,
    evidence_of,
    find_target,
    may_attach,
    sources_for,
)
from vigil.evidence.errors import ShareRefused
from vigil.evidence.forms import AttachForm
from vigil.evidence.handling import DOWNLOAD, handling_log
from vigil.evidence.sniff import OCTET_STREAM, served_type
from vigil.evidence.strip import STRIPPABLE
from vigil.evidence.upload import EncryptingUploadHandler, StagedUpload
from vigil.policy.access import restrict
from vigil.policy.auditing import audit
from vigil.records.models import Evidence

if TYPE_CHECKING:
    from vigil.accounts.types import SignedInRequest


def _visible(request: HttpRequest, pk: str) -> Evidence:
    # Not visible and not existing look the same: no one learns which ids exist.
    found = restrict(request.user, "view", Evidence.objects.filter(pk=pk)).first()
    if found is None:
        raise Http404
    return found


def _attachment(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def download(request: SignedInRequest, pk: str) -> HttpResponseBase:
    """The original, unaltered file as an attachment; a "download" entry in its handling log."""
    evidence = _visible(request, pk)
    chunks: Iterable[bytes] = open_original(evidence, request.user, DOWNLOAD)
    response = StreamingHttpResponse(chunks, content_type=served_type(evidence.content_type))
    response["Content-Length"] = str(evidence.size)
    return _attachment(response, evidence.original_name)


@login_required
def share(request: SignedInRequest, pk: str) -> HttpResponseBase:
    """A copy of an image without its metadata, as an attachment; logged as "share"."""
    evidence = _visible(request, pk)
    try:
        copy = shared_copy(evidence, request.user)
    except Forbidden as exc:
        return HttpResponseForbidden(exc.message)
    except ShareRefused as exc:
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain")
    fmt = STRIPPABLE.get(evidence.content_type, "")
    response = HttpResponse(copy, content_type=served_type(evidence.content_type) or OCTET_STREAM)
    return _attachment(response, f"shared-{evidence.pk}.{fmt.lower() or 'bin'}")


@login_required
def handling(request: HttpRequest, pk: str) -> HttpResponse:
    """The handling log of one file (the page users read as its chain of custody)."""
    evidence = _visible(request, pk)
    return render(
        request,
        "evidence/handling.html",
        {
            "evidence": evidence,
            "events": handling_log(evidence),
            "shareable": evidence.content_type in STRIPPABLE,
        },
    )


def _target_or_404(request: SignedInRequest, kind: str, pk: str) -> Any:
    try:
        return find_target(request.user, kind, pk)
    except NotFound:
        raise Http404 from None


def _attach_page(
    request: SignedInRequest, kind: str, target: Any, form: AttachForm, status: int = 200
) -> HttpResponse:
    context = {
        "kind": kind,
        "target": target,
        "form": form,
        "files": evidence_of(request.user, target),
        "may_attach": may_attach(request.user, target),
    }
    return render(request, "evidence/attach.html", context, status=status)


def _new_form(
    request: SignedInRequest, target: Any, data: Any = None, files: Any = None
) -> AttachForm:
    return AttachForm(
        data,
        files,
        sources=sources_for(request.user, target),
        fixed_source=kind_of(target) == "source",
    )


def kind_of(target: Any) -> str:
    """The URL name of a target record's kind."""
    return next(kind for kind, model in TARGETS.items() if isinstance(target, model))


# csrf_exempt + csrf_protect (Django's documented pattern): the CSRF middleware would read
# request.POST before the view could install the encrypting upload handler.
@csrf_exempt
@login_required
def attach(request: SignedInRequest, kind: str, pk: str) -> HttpResponse:
    """Attach a file to a person, event, act or source; the file is encrypted as it arrives."""
    target = _target_or_404(request, kind, pk)
    if request.method == "GET":
        return _protected_get(request, kind, target)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    if not may_attach(request.user, target):
        # Refused before a byte of the body is read.
        audit("denied", actor=request.user, obj=target, action="add")
        raise PermissionDenied
    handler = EncryptingUploadHandler(request)
    request.upload_handlers = [handler]
    try:
        return _protected_post(request, kind, target, handler)
    finally:
        handler.discard_unclaimed()


@csrf_protect
def _protected_get(request: SignedInRequest, kind: str, target: Any) -> HttpResponse:
    return _attach_page(request, kind, target, _new_form(request, target))


@csrf_protect
def _protected_post(
    request: SignedInRequest, kind: str, target: Any, handler: EncryptingUploadHandler
) -> HttpResponse:
    form = _new_form(request, target, request.POST, request.FILES)
    if handler.refused is not None:
        form.is_valid()
        form.add_error(None, handler.refused.message)
        return _attach_page(request, kind, target, form, status=handler.refused.status)
    if not form.is_valid():
        return _attach_page(request, kind, target, form, status=400)
    upload = form.cleaned_data["file"]
    if not isinstance(upload, StagedUpload):
        form.add_error("file", _("The file did not arrive; choose it again."))
        return _attach_page(request, kind, target, form, status=400)
    try:
        attached = attach_upload(
            request.user,
            upload.staged,
            target,
            source=form.chosen_source(),
            new_source_title=form.cleaned_data.get("new_source_title", ""),
            description=form.cleaned_data["description"],
        )
    except VigilError as exc:
        form.add_error(None, exc.message)
        return _attach_page(request, kind, target, form, status=exc.status)
    messages.success(
        request,
        _("The file was stored, encrypted. SHA-256: %(sha256)s")
        % {"sha256": attached.evidence.sha256},
    )
    return redirect("evidence:custody", attached.evidence.pk)
