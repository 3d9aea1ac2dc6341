"""HTTP hardening: headers Django and django-csp do not set, and checks on the security settings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

# Browser features Vigil never uses; denied so that injected content cannot use them either.
DENIED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb")
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DENIED_FEATURES)

# Sources a page may never allow: they re-open the doors CSP exists to close.
FORBIDDEN_SOURCES = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "http:", "https:")
SCRIPT_DIRECTIVES = ("default-src", "script-src", "script-src-elem", "script-src-attr")
REQUIRED_DIRECTIVES = {
    "default-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}
CSP_MIDDLEWARE = "csp.middleware.CSPMiddleware"
HEADERS_MIDDLEWARE = "vigil.web.security.SecurityHeadersMiddleware"


class SecurityHeadersMiddleware:
    """Adds Permissions-Policy everywhere and ``no-store`` to every signed-in user's response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if _signed_in(request) or response.cookies:
            # Pages of a signed-in user, and responses setting a session or CSRF cookie, must
            # not linger in a shared or seized browser cache.
            add_never_cache_headers(response)
        return response


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def csp_problems(policy: dict[str, Any] | None) -> list[str]:
    """What is wrong with a django-csp ``CONTENT_SECURITY_POLICY`` setting (empty when fine)."""
    directives: dict[str, Sequence[str]] = (policy or {}).get("DIRECTIVES") or {}
    problems = []
    for name, expected in REQUIRED_DIRECTIVES.items():
        if list(directives.get(name) or []) != expected:
            problems.append(f"{name} must be {' '.join(expected)}")
    for name, sources in directives.items():
        forbidden = FORBIDDEN_SOURCES + (("data:",) if name in SCRIPT_DIRECTIVES else ())
        bad = [s for s in (sources or []) if isinstance(s, str) and s in forbidden]
        if bad:
            problems.append(f"{name} allows {', '.join(bad)}")
    return problems


@register(Tags.security)
def check_debug_off_in_production(**kwargs: Any) -> list[CheckMessage]:
    """vigil.E001: DEBUG shows stack traces and settings; never with production cookies."""
    if settings.DEBUG and getattr(settings, "SESSION_COOKIE_SECURE", False):
        return [
            Error(
                "VIGIL_DEBUG is on in a production configuration (VIGIL_SECURE_COOKIES is on).",
                hint="Debug pages show stack traces and settings to users: unset VIGIL_DEBUG.",
                id="vigil.E001",
            )
        ]
    return []


@register(Tags.security)
def check_content_security_policy(**kwargs: Any) -> list[CheckMessage]:
    """vigil.E002: the CSP and header middleware are installed and the policy is strict."""
    middleware = list(getattr(settings, "MIDDLEWARE", []))
    errors: list[CheckMessage] = []
    missing = [m for m in (CSP_MIDDLEWARE, HEADERS_MIDDLEWARE) if m not in middleware]
    if missing:
        errors.append(
            Error(
                f"Security middleware missing from MIDDLEWARE: {', '.join(missing)}.",
                id="vigil.E002",
            )
        )
    problems = csp_problems(getattr(settings, "CONTENT_SECURITY_POLICY", None))
    if problems:
        errors.append(
            Error(
                "CONTENT_SECURITY_POLICY is too weak: " + "; ".join(problems) + ".",
                hint="Vigil's pages need no inline script or style and no other origin.",
                id="vigil.E002",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def check_tls_behind_proxy(**kwargs: Any) -> list[CheckMessage]:
    """vigil.W001: an HTTPS redirect behind a proxy needs the proxy's header, or it loops."""
    if getattr(settings, "SECURE_SSL_REDIRECT", False) and not getattr(
        settings, "SECURE_PROXY_SSL_HEADER", None
    ):
        return [
            Warning(
                "VIGIL_TLS is on but VIGIL_PROXY_SSL_HEADER is not set.",
                hint=(
                    "Behind a TLS-terminating proxy every request then looks like plain HTTP "
                    "and is redirected forever: set VIGIL_PROXY_SSL_HEADER to the header the "
                    "proxy sets (e.g. HTTP_X_FORWARDED_PROTO)."
                ),
                id="vigil.W001",
            )
        ]
    return []
