"""Evidence downloads: the original or a metadata-free copy, always as an attachment."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseForbidden,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils.http import content_disposition_header

from vigil.evidence.access import open_original, shared_copy
from vigil.evidence.custody import DOWNLOAD, custody_chain
from vigil.evidence.errors import ShareRefused
from vigil.evidence.sniff import OCTET_STREAM, served_type
from vigil.evidence.strip import STRIPPABLE
from vigil.policy.access import restrict
from vigil.policy.errors import Forbidden
from vigil.records.models import Evidence


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
def download(request: HttpRequest, pk: str) -> HttpResponseBase:
    """The original, unaltered file as an attachment; a custody event "download"."""
    evidence = _visible(request, pk)
    chunks: Iterable[bytes] = open_original(evidence, request.user, DOWNLOAD)
    response = StreamingHttpResponse(chunks, content_type=served_type(evidence.content_type))
    response["Content-Length"] = str(evidence.size)
    return _attachment(response, evidence.original_name)


@login_required
def share(request: HttpRequest, pk: str) -> HttpResponseBase:
    """A copy of an image without its metadata, as an attachment; a custody event "share"."""
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
def custody(request: HttpRequest, pk: str) -> HttpResponse:
    """The chain of custody of one file."""
    evidence = _visible(request, pk)
    return render(
        request,
        "evidence/custody.html",
        {"evidence": evidence, "events": custody_chain(evidence)},
    )
