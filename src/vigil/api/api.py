"""The API instance: token auth on every operation, JSON errors, the schema and its docs page.

Mounted by ``path("api/", api.urls)`` (``from vigil.api.api import api``). The interactive
docs at ``/api/docs`` (public, like the schema it reads) serve Swagger UI from ninja's own
static files: with ``ninja`` installed as an app it needs no CDN, so the CSP holds.
"""

from __future__ import annotations

import copy
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

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
    """NinjaAPI whose every response, errors included, is kept out of caches, and whose
    schema is built once."""

    _schemas: dict[str, OpenAPISchema]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._schemas = {}

    def create_response(
        self, request: HttpRequest, data: Any, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        """The JSON response, marked ``Cache-Control: no-store`` (it carries record data)."""
        response = super().create_response(request, data, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """The schema, built once per process and root path, and a copy of it returned.

        It depends only on the routes and their pydantic schemas, fixed once the URLs are
        loaded; ninja rebuilt it on every request to ``/api/openapi.json`` (about 2 s of CPU
        for its 500-odd model schemas, paid by each route sweep and schema test).
        """
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        built = self._schemas.get(path_prefix)
        if built is None:
            built = self._schemas[path_prefix] = super().get_openapi_schema(path_prefix=path_prefix)
        return copy.deepcopy(built, {id(self): self})  # the routes, not the API, are copied


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
