"""The API instance: token auth on every operation, JSON errors, the schema and its docs page.

Mounted by ``path("api/", api.urls)`` (``from vigil.api.api import api``). The interactive
docs at ``/api/docs`` (public, like the schema it reads) serve Swagger UI from ninja's own
static files: with ``ninja`` installed as an app it needs no CDN, so the CSP holds.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from vigil.api.acts import router as acts_router
from vigil.api.auth import TokenAuth
from vigil.api.checks import router as checks_router
from vigil.api.errors import install_error_handlers
from vigil.api.events import router as events_router
from vigil.api.names import router as names_router
from vigil.api.organisations import router as organisations_router
from vigil.api.persons import router as persons_router
from vigil.api.protection import router as protection_router
from vigil.api.responses import router as responses_router
from vigil.api.sanctions import router as sanctions_router
from vigil.api.solidarity import router as solidarity_router
from vigil.api.sources import router as sources_router


class VigilAPI(NinjaAPI):
    """NinjaAPI whose every response, errors included, is kept out of caches."""

    def create_response(
        self, request: HttpRequest, data: Any, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        """The JSON response, marked ``Cache-Control: no-store`` (it carries record data)."""
        response = super().create_response(request, data, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response


api = VigilAPI(
    title="Vigil API",
    version="1",
    description=(
        "Records, responses and sanctions of Vigil. Every call needs an API token "
        "(Authorization: Bearer <token>) and sees only what its user may see: a hidden record "
        "is a 404 exactly like a missing one. Changes send the `version` they read (a stale "
        "one is a 409); deletes are soft and need a reason. Identity fields (witnesses, "
        'contacts) are write-only here. Every error is JSON: `{"error": message}`.'
    ),
    auth=TokenAuth(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("", persons_router)
api.add_router("", names_router)
api.add_router("", organisations_router)
api.add_router("", events_router)
api.add_router("", acts_router)
api.add_router("", sources_router)
api.add_router("", responses_router)
api.add_router("", sanctions_router)
api.add_router("", protection_router)
api.add_router("", checks_router)
api.add_router("", solidarity_router)
