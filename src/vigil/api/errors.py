"""Errors as JSON: every VigilError with its status, anything unexpected as a 500 with an id."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from vigil.core.errors import ValidationFailed, VigilError, new_error_id

logger = logging.getLogger("vigil.errors")

UNAUTHORISED = "Send a valid API token: Authorization: Bearer <token>."
CLASH = "The change clashes with a stored record (a duplicate or a broken link); nothing was saved."


class InvalidField(ValidationFailed):
    """One field of the request names something that does not exist or does not fit."""

    status = 422

    def __init__(self, field: str, message: str, status: int = 422) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message
        self.status = status


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

    def invalid_field(request: HttpRequest, exc: InvalidField) -> HttpResponse:
        detail = [{"loc": ["body", exc.field], "msg": exc.reason}]
        body = {"error": exc.message, "detail": detail}
        return api.create_response(request, body, status=exc.status)

    def clash(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        # A safety net: services validate first, so this means a race or a missed rule.
        logger.warning("409 %s %s (integrity error)", request.method, _route(request))
        return api.create_response(request, {"error": CLASH}, status=409)

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

    # (Each handler takes its own exception class, which ninja's annotation cannot say.)
    handlers: list[tuple[type[Exception], Callable[..., HttpResponse]]] = [
        (VigilError, vigil_error),
        (InvalidField, invalid_field),
        (IntegrityError, clash),
        (AuthenticationError, unauthorised),
        (HttpError, http_error),
        (Http404, not_found),
        (ValidationError, invalid),
        (Exception, server_error),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)
