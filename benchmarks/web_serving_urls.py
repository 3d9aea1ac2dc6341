"""``/bench/ok/`` (two bytes) before Vigil's URLs, Vigil's URLs."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns: list[Any] = [path("bench/ok/", ok), path("", include("vigil.urls"))]
