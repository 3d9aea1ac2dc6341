# Temporary (surface work): the settings and urls lines proposed to the lead, to run tests/surface.
from csp.constants import NONE, SELF

from vigil.settings import *  # noqa: F403
from vigil.settings import _env_bool
from vigil.web import security  # noqa: F401  (registers the checks; lead: WebConfig.ready)

INSTALLED_APPS = [*INSTALLED_APPS, "csp"]  # noqa: F405
MIDDLEWARE = [  # noqa: F405
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "vigil.web.security.SecurityHeadersMiddleware",
    *[m for m in MIDDLEWARE if m != "django.middleware.security.SecurityMiddleware"],  # noqa: F405
]
# --- proposed settings.py lines -------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
SECURE_SSL_REDIRECT = _env_bool("VIGIL_TLS")
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if SESSION_COOKIE_SECURE else 0  # noqa: F405
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = _env_bool("VIGIL_HSTS_PRELOAD")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SILENCED_SYSTEM_CHECKS = ["security.W021"]
CSRF_FAILURE_VIEW = "vigil.web.errors.csrf_failure"
# --- proposed urls.py lines (this module doubles as the urlconf) -----------------------------
ROOT_URLCONF = "vigil.test_settings_surface"


def __getattr__(name: str) -> object:
    if name == "urlpatterns":
        from vigil.urls import urlpatterns

        return urlpatterns
    raise AttributeError(name)


handler400 = "vigil.web.errors.bad_request"
handler403 = "vigil.web.errors.permission_denied"
handler404 = "vigil.web.errors.page_not_found"
handler500 = "vigil.web.errors.server_error"
