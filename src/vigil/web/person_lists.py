"""Stored lists on the web (mounted at /lists/): upload and map a CSV, the record as a list,
link lists, review the uncertain pairs side by side, estimate from the decided links.

The work is done by ``vigil.counting.stored_lists`` and ``vigil.counting.link_runs`` through
the one policy; these views parse input, call one function and render. An upload is held in
memory only (no plaintext temporary file) and stored encrypted until its mapping is chosen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from vigil.core.errors import Forbidden, NotFound, VigilError
from vigil.core.files import decode_csv
from vigil.counting.list_import import FIELDS, RowsRefused
from vigil.counting.models import Category, Decision, ListStatus
from vigil.counting.stored_lists import (
    RECORD_CATEGORIES,
    find_list,
    finish_upload,
    parse_date,
    start_upload,
    visible_lists,
)
from vigil.policy.access import allows, role_of
from vigil.reports.record_list import list_from_record

if TYPE_CHECKING:
    from vigil.accounts.types import SignedInRequest

# The link runs compute with numpy: their views import them, so that loading the URL conf (every
# `vigil` command that checks, every server and worker start) does not.

MAX_UPLOAD_MB = 20
ROWS_SHOWN = 100
PAIRS_SHOWN = 50
CLUSTERS_SHOWN = 30


def _field_labels() -> list[tuple[str, str]]:
    labels = {
        "id": _("Id on the list"),
        "name": _("Name"),
        "birth_date": _("Birth date"),
        "sex": _("Sex"),
        "place": _("Place"),
        "detained_on": _("Date detained"),
    }
    return [(f, labels[f]) for f in FIELDS]


def _may_add(request: SignedInRequest) -> bool:
    return role_of(request.user) in {"admin", "coordinator", "analyst", "documenter"}


def _found(call: Any, *args: Any) -> Any:
    try:
        return call(*args)
    except NotFound:
        raise Http404 from None


def _record_categories() -> list[tuple[str, str]]:
    labels = dict(Category.choices)
    return [(c, _("Every person") if c == "all" else str(labels[c])) for c in RECORD_CATEGORIES]


@login_required
def index(request: SignedInRequest) -> HttpResponse:
    """The stored lists the user may view, the link runs, and the forms that add and link."""
    from vigil.counting.link_runs import visible_runs

    lists = list(visible_lists(request.user).order_by("name", "-as_of"))
    drafts = [
        p
        for p in visible_lists(request.user, ready=False).filter(status=ListStatus.MAPPING)
        if p.created_by_id == request.user.pk
    ]
    context = {
        "lists": lists,
        "drafts": drafts,
        "runs": list(visible_runs(request.user).prefetch_related("lists")[:20]),
        "may_add": _may_add(request),
        "categories": _record_categories(),
        "max_mb": MAX_UPLOAD_MB,
    }
    return render(request, "lists/index.html", context)


class _HeldUpload(MemoryFileUploadHandler):
    """Keep an upload in memory up to the limit; refuse a larger one (no temporary file)."""

    too_large = False

    def handle_raw_input(self, input_data: Any, META: Any, content_length: int,  # noqa: N803
                         boundary: Any, encoding: Any = None) -> None:
        # Too large: not activated, so the file's bytes are read past and dropped (no handler
        # keeps them, none writes a temporary file); the view says why.
        self.too_large = content_length > MAX_UPLOAD_MB * 1024 * 1024
        self.activated = not self.too_large


# csrf_exempt + csrf_protect (Django's documented pattern): the CSRF middleware would read
# request.POST before the view could install the in-memory upload handler.
@csrf_exempt
@login_required
def upload(request: SignedInRequest) -> HttpResponse:
    """Step 1: keep the uploaded CSV (encrypted) and show its header for the mapping."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not _may_add(request):
        raise PermissionDenied
    handler = _HeldUpload(request)
    request.upload_handlers = [handler]
    return _protected_upload(request, handler)


@csrf_protect
def _protected_upload(request: SignedInRequest, handler: _HeldUpload) -> HttpResponse:
    if handler.too_large or "file" not in request.FILES:
        if handler.too_large:
            message = _("The file is larger than %(mb)s MB.") % {"mb": MAX_UPLOAD_MB}
        else:
            message = _("Choose a CSV file.")
        messages.error(request, message)
        return redirect("lists:index")
    file = request.FILES.getlist("file")[0]
    try:
        plist = start_upload(
            request.user,
            request.POST.get("name", ""),
            parse_date(request.POST.get("as_of", "")),
            decode_csv(file.read(), file.name or "upload"),
            description=request.POST.get("description", ""),
            confidentiality=request.POST.get("confidentiality", "restricted"),
        )
    except Forbidden:
        raise PermissionDenied from None
    except VigilError as exc:
        messages.error(request, exc.message)
        return redirect("lists:index")
    return redirect("lists:map", pk=plist.pk)


@login_required
def map_columns(request: SignedInRequest, pk: str) -> HttpResponse:
    """Step 2: choose which column holds each field; the rows are imported, or every bad row
    is shown with its line and reason and nothing is written."""
    try:
        plist = find_list(request.user, str(pk), ready=False)
    except NotFound:
        raise Http404 from None
    if plist.status != ListStatus.MAPPING:
        return redirect("lists:detail", pk=plist.pk)
    if not allows(request.user, "change", plist):
        raise PermissionDenied
    chosen = {f: request.POST.get(f, "") for f in FIELDS} if request.method == "POST" else {}
    problems: list[Any] = []
    error = ""
    if request.method == "POST":
        mapping = {f: c for f, c in chosen.items() if c}
        try:
            added = finish_upload(request.user, plist, mapping)
        except RowsRefused as exc:
            problems = exc.problems
        except VigilError as exc:
            error = exc.message
        else:
            if added.created:
                messages.success(request, _("The list's rows are stored."))
            else:
                messages.info(request, _("The same rows were stored already: nothing changed."))
            return redirect("lists:detail", pk=added.list.pk)
    else:
        chosen = _guess(list(plist.header))
    context = {
        "plist": plist,
        "header": list(plist.header),
        "fields": [(f, label, chosen.get(f, "")) for f, label in _field_labels()],
        "problems": problems[:200],
        "more_problems": max(0, len(problems) - 200),
        "error": error,
    }
    return render(request, "lists/map.html", context, status=400 if problems or error else 200)


_GUESSES = {
    "id": ("id", "№", "no", "number", "номер"),
    "name": ("name", "full name", "фио", "імя", "имя", "прозвішча"),
    "birth_date": ("birth_date", "birth date", "born", "dob", "дата рождения", "дата нараджэння"),
    "sex": ("sex", "gender", "пол", "пол."),
    "place": ("place", "city", "город", "горад", "region"),
    "detained_on": ("detained_on", "detained", "date detained", "дата задержания"),
}


def _guess(header: list[str]) -> dict[str, str]:
    """A first mapping from the header's names (the user confirms or changes it)."""
    lowered = {h.strip().casefold(): h for h in header}
    return {
        field: next((lowered[g] for g in guesses if g in lowered), "")
        for field, guesses in _GUESSES.items()
    }


@login_required
@require_POST
def from_record(request: SignedInRequest) -> HttpResponse:
    """The organisation's own record (one category) as a list: rows encrypted."""
    try:
        added = list_from_record(
            request.user,
            request.POST.get("name", ""),
            parse_date(request.POST.get("as_of", "")),
            request.POST.get("category", "all"),
        )
    except Forbidden:
        raise PermissionDenied from None
    except VigilError as exc:
        messages.error(request, exc.message)
        return redirect("lists:index")
    return redirect("lists:detail", pk=added.list.pk)


@login_required
def detail(request: SignedInRequest, pk: str) -> HttpResponse:
    """A list: its date, kind, mapping and rows (decrypted for a user who may view it)."""
    plist = _found(find_list, request.user, str(pk))
    shown = _field_labels()[1:]
    rows = [
        (row.key, [row.fields().get(f, "") for f, _label in shown])
        for row in plist.rows.order_by("position")[:ROWS_SHOWN]
    ]
    context = {
        "plist": plist,
        "rows": rows,
        "fields": shown,
        "shown": len(rows),
        "mapping": sorted(plist.mapping.items()),
    }
    return render(request, "lists/detail.html", context)


@login_required
@require_POST
def link(request: SignedInRequest) -> HttpResponse:
    """Link the chosen lists; the pairs are kept in a link run."""
    from vigil.counting.link_runs import run_link

    try:
        lists = [find_list(request.user, ref) for ref in request.POST.getlist("lists")]
        run = run_link(request.user, lists)
    except NotFound:
        raise Http404 from None
    except Forbidden:
        raise PermissionDenied from None
    except VigilError as exc:
        messages.error(request, exc.message)
        back = "web:how_many" if request.POST.get("back") == "how_many" else "lists:index"
        return redirect(back)
    return redirect("lists:run", pk=run.pk)


def _pair_view(pair: Any, names: dict[Any, str]) -> dict[str, Any]:
    """The two rows side by side: one line per field, the left row's value and the right's."""
    left, right = pair.left.fields(), pair.right.fields()
    lines = [
        (label, left.get(f, ""), right.get(f, ""))
        for f, label in _field_labels()[1:]
        if left.get(f) or right.get(f)
    ]
    lines.append((_("Id on the list"), pair.left.key, pair.right.key))
    return {
        "pair": pair,
        "lists": (names[pair.left.list_id], names[pair.right.list_id]),
        "names": (left.get("name", ""), right.get("name", "")),
        "lines": lines,
    }


@login_required
def run_detail(request: SignedInRequest, pk: str) -> HttpResponse:
    """A link run: the pairs compared, the overlap, clusters with their confidence, the pairs
    to review side by side, and the estimate form."""
    from vigil.counting.link_runs import clusters, find_run, in_review_band, may_review, run_lists

    run = _found(find_run, request.user, str(pk))
    lists = run_lists(run)
    names = {p.pk: p.name for p in lists}
    by_id = {str(p.pk): p.name for p in lists}
    pairs = list(run.pairs.select_related("left", "right"))
    pending = [p for p in pairs if in_review_band(p) and p.decision == Decision.PENDING]
    decided = [p for p in pairs if p.decision != Decision.PENDING]
    summary = [
        {**part, "names": [by_id[i] for i in part["lists"]]}
        for part in run.summary.get("pairs_of_lists", [])
    ]
    found = clusters(run)
    cluster_rows = [
        {
            "cluster": c,
            "members": sorted(
                {(names[r.list_id], r.fields().get("name", "")) for p in c.pairs
                 for r in (p.left, p.right)}
            ),
        }
        for c in found[:CLUSTERS_SHOWN]
    ]
    context = {
        "run": run,
        "lists": lists,
        "summary": summary,
        "plot": _plot(run),
        "clusters": cluster_rows,
        "clusters_total": len(found),
        "pending": [_pair_view(p, names) for p in pending[:PAIRS_SHOWN]],
        "pending_total": len(pending),
        "decided": [_pair_view(p, names) for p in decided],
        "may_review": may_review(request.user, run),
        "categories": [(c, str(dict(Category.choices)[c])) for c in Category.values],
        "may_save": _may_add(request),
        "command": f"vigil lists estimate {run.pk} --save LABEL --category CATEGORY",
    }
    return render(request, "lists/run.html", context)


def _plot(run: Any) -> Any:
    """The run's overlap as an UpSet plot; None when it cannot be drawn (a list withdrawn)."""
    from vigil.counting.link_runs import overlap
    from vigil.counting.upset import upset

    try:
        return upset(overlap(run))
    except VigilError:
        return None


@login_required
@require_POST
def pair_decide(request: SignedInRequest, pk: int) -> HttpResponse:
    """Same person, different persons, or undo: stored, audited; the rows stay as they are."""
    from vigil.counting.link_runs import decide, find_pair

    pair = _found(find_pair, request.user, pk)
    try:
        decide(request.user, pair, request.POST.get("decision", ""))
    except Forbidden:
        raise PermissionDenied from None
    except VigilError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("lists:run", args=[pair.run_id]) + "#review")


@login_required
@require_POST
def run_estimate(request: SignedInRequest, pk: str) -> HttpResponse:
    """Estimate from the run's decided links and store it (``--save``): shown on How many?"""
    from vigil.counting.link_runs import estimate_run, find_run

    run = _found(find_run, request.user, str(pk))
    try:
        _result, row = estimate_run(
            request.user,
            run,
            method="loglinear",  # LCMCR's sampler takes minutes: `vigil lists estimate`
            save=request.POST.get("label", ""),
            category=request.POST.get("category", Category.OTHER),
            period=request.POST.get("period", ""),
        )
    except Forbidden:
        raise PermissionDenied from None
    except VigilError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("lists:run", args=[run.pk]) + "#estimate")
    messages.success(request, _("The estimate is stored."))
    anchor = f"#hm-{row.category}" if row.category != Category.OTHER else ""
    return redirect(reverse("web:how_many") + anchor)
