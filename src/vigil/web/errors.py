"""Generic error pages: a status, a short explanation and an error id, never a stack trace."""

from __future__ import annotations

import logging
import sys
from types import TracebackType
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template import loader

from vigil.core.errors import new_error_id

logger = logging.getLogger("vigil.errors")

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class RedactPathFilter(logging.Filter):
    """Replace the request path in Django's request log lines with the URL's name."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if path and request is not None and isinstance(record.args, tuple):
            escaped = path.encode("unicode_escape").decode("ascii")
            route = _route(request)
            record.args = tuple(route if a in (path, escaped) else a for a in record.args)
        return True


def _route(request: HttpRequest) -> str:
    # The URL's name, not its path: paths can name records, and logs can be seized.
    match = getattr(request, "resolver_match", None)
    return getattr(match, "view_name", "") or "-"


def _exc_info(exception: BaseException | None) -> ExcInfo | None:
    if exception is None:
        return None
    return (type(exception), exception, exception.__traceback__)


def error_page(
    request: HttpRequest, status: int, exception: BaseException | None = None, detail: str = ""
) -> HttpResponse:
    """Log the failure under a new error id and render the generic page for ``status``.

    One line per failure: an expected refusal (4xx) carries no traceback, only a server error
    (5xx) does; the response is marked as logged so that Django's request log does not repeat
    it (with the exception's traceback) afterwards.
    """
    error_id = new_error_id()
    kind = type(exception).__name__ if exception is not None else "-"
    logger.log(
        logging.ERROR if status >= 500 else logging.WARNING,
        "error id %s: %s %s %s (%s)%s",
        error_id,
        status,
        request.method,
        _route(request),
        kind,
        f": {detail}" if detail else "",
        exc_info=_exc_info(exception) if status >= 500 else None,
    )
    # Rendered without the request's context processors, so a broken session or database
    # cannot turn the error page itself into a second failure.
    body = loader.get_template(f"errors/{status}.html").render(
        {"error_id": error_id, "status": status}
    )
    response = HttpResponse(body, status=status)
    # django.utils.log.log_response skips a response carrying this mark.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def bad_request(request: HttpRequest, exception: BaseException, **kwargs: Any) -> HttpResponse:
    """handler400."""
    return error_page(request, 400, exception)


def permission_denied(
    request: HttpRequest, exception: BaseException, **kwargs: Any
) -> HttpResponse:
    """handler403."""
    return error_page(request, 403, exception)


def page_not_found(request: HttpRequest, exception: BaseException, **kwargs: Any) -> HttpResponse:
    """handler404."""
    return error_page(request, 404, exception)


def server_error(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """handler500: Django calls it while handling the exception, so sys.exc_info() has it."""
    return error_page(request, 500, sys.exc_info()[1])


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the generic 403 page; the reason goes to the log only."""
    return error_page(request, 403, detail=f"CSRF check failed: {reason}")
