"""The bare baseline: one Django view that replays a page's captured SQL and returns JSON.

``WEB_BENCH_PLAN`` names the plan ``web_plan.py`` wrote; ``/bare/<scenario>/<n>/`` runs the
SELECT statements the ``n``-th URL of ``scenario`` ran in Vigil, in the same order, on the same
database, and returns their rows as JSON: Vigil's SQL without its middleware, policy code,
ORM object building or templates.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path


@cache
def statements() -> dict[str, list[list[str]]]:
    """The captured SELECT statements by scenario, then by URL index."""
    plan = json.loads(Path(os.environ["WEB_BENCH_PLAN"]).read_text())
    return {name: [page["select"] for page in pages] for name, pages in plan["pages"].items()}


def bare(request: HttpRequest, scenario: str, index: int) -> HttpResponse:
    """Run the statements of one page and return every row they gave."""
    try:
        sqls = statements()[scenario][index]
    except (KeyError, IndexError):
        raise Http404 from None
    results = []
    with connection.cursor() as cursor:
        for sql in sqls:
            cursor.execute(sql)
            results.append(cursor.fetchall())
    return HttpResponse(json.dumps(results, default=str), content_type="application/json")


urlpatterns = [path("bare/<str:scenario>/<int:index>/", bare)]
