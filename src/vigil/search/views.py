"""The search page: parse ``?q=``, call the search service, render (a fragment for htmx)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from vigil.search.everything import MAX_QUERY, search_everything

if TYPE_CHECKING:
    from vigil.accounts.types import SignedInRequest


@login_required
def search(request: SignedInRequest) -> HttpResponse:
    """Everything the signed-in user may view that matches ``?q=``, grouped by kind."""
    results = search_everything(request.user, request.GET.get("q", "")[:MAX_QUERY])
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "search-results":
        return render(request, "search/results_fragment.html", {"results": results})
    return render(request, "search/search.html", {"results": results})
