"""Public, read-only pages: no sign-in, no script, published records only."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.backends.django import DjangoTemplates
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from vigil.core.replica import replica_view
from vigil.opendata.prisoners import as_of, public_prisoners
from vigil.records.custody import Custody


@cache
def templates() -> DjangoTemplates:
    """Templates of this app and the site's base (whether or not the app is installed)."""
    return DjangoTemplates(
        {
            "NAME": "opendata",
            "DIRS": [
                Path(__file__).resolve().parent / "templates",
                settings.BASE_DIR / "templates",
            ],
            "APP_DIRS": False,
            "OPTIONS": {
                "context_processors": [
                    "django.template.context_processors.request",
                    "django.contrib.auth.context_processors.auth",
                    "django.contrib.messages.context_processors.messages",
                ],
            },
        }
    )


@require_safe
@cache_control(public=True, max_age=300)
@replica_view
def prisoners(request: HttpRequest) -> HttpResponse:
    """The public list of political prisoners (HTML)."""
    rows = public_prisoners()
    body = (
        templates()
        .get_template("opendata/prisoners.html")
        .render(
            {
                "in_custody": [r for r in rows if r.status == Custody.IN_CUSTODY.value],
                "term_ended": [r for r in rows if r.status == Custody.TERM_ENDED.value],
                "restricted": [r for r in rows if r.status == Custody.RESTRICTED.value],
                "as_of": as_of(),
            },
            request,
        )
    )
    return HttpResponse(body)


@require_safe
@cache_control(public=True, max_age=300)
@replica_view
def prisoners_json(request: HttpRequest) -> JsonResponse:
    """The public list of political prisoners (the page's JSON twin)."""
    rows = [
        {
            "id": str(r.person_id),
            "name": r.name,
            "status": r.status,
            "arrested": r.arrested,
            "articles": list(r.articles),
            "sentence": r.sentence,
            "place": r.place,
            "term_ended_without_recorded_release": r.term_ended,
        }
        for r in public_prisoners()
    ]
    return JsonResponse({"as_of": as_of().isoformat(), "prisoners": rows})
