"""The same with no middleware (``web_serving.py --http``): Django's own cost per request; and
``hello``, a WSGI application without Django: gunicorn's own."""

from typing import Any

from vigil.settings import *  # noqa: F403

MIDDLEWARE: list[str] = []
ROOT_URLCONF = "web_serving_urls"
TEMPLATES: list[dict[str, object]] = []


def hello(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]
