"""Errors as JSON: every VigilError with its status, anything unexpected as a 500 with an id."""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from vigil.core.errors import VigilError
from vigil.web.errors import new_error_id

logger = logging.getLogger("vigil.errors")

UNAUTHORISED = "Send a valid API token: Authorization: Bearer <token>."


def _route(request: HttpRequest) -> str:
    # The route's name, not its path: paths carry record ids and logs can be seized.
    match = getattr(request, "resolver_match", None)
    return getattr(match, "view_name", "") or "-"


def install_error_handlers(api: NinjaAPI) -> None:
    """Map errors to ``{"error": message}`` JSON bodies on ``api``."""

    def vigil_error(request: HttpRequest, exc: VigilError) -> HttpResponse:
        if exc.status >= 500:
            return server_error(request, exc)
        return api.create_response(request, {"error": exc.message}, status=exc.status)

    def unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = api.create_response(request, {"error": UNAUTHORISED}, status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(request, {"error": exc.message}, status=exc.status_code)

    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"error": "Not found."}, status=404)

    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        detail = [
            {"loc": [str(part) for part in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in exc.errors
        ]
        body = {"error": "The request is not valid.", "detail": detail}
        return api.create_response(request, body, status=422)

    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        error_id = new_error_id()
        logger.error(
            "error id %s: 500 %s %s (%s)",
            error_id,
            request.method,
            _route(request),
            type(exc).__name__,
            exc_info=(type(exc), exc, exc.__traceback__),
        )
        body = {"error": f"Something went wrong on our side (error id {error_id}).", "id": error_id}
        return api.create_response(request, body, status=500)

    api.add_exception_handler(VigilError, vigil_error)
    api.add_exception_handler(AuthenticationError, unauthorised)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(ValidationError, invalid)
    api.add_exception_handler(Exception, server_error)
