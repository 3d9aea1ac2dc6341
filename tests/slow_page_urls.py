"""A slow page (Python busy for ``seconds``, as a PDF or an export is, or until the test
releases it), a fast one, one busy for ``ms`` milliseconds that answers which server process
drew it, and one that answers how many objects that process's garbage collector has frozen."""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def slow(request: HttpRequest, seconds: float) -> HttpResponse:
    """Busy for ``seconds``, or until the test has its answers: it ends early once the file
    ``SLOW_PAGE_STARTED`` + ``.release`` exists (looked for every 50 ms, so the page holds
    Python's lock all the while as CPU-bound work does; the test releases it only after its
    fast pages were answered, so a fast page queued behind it would still wait ``seconds``)."""
    started = Path(os.environ["SLOW_PAGE_STARTED"])
    release = started.with_name(started.name + ".release")
    deadline = time.monotonic() + seconds
    started.touch()  # the test asks its fast pages from now on
    spins = 0
    look = 0.0
    while (now := time.monotonic()) < deadline:  # holds Python's lock as CPU-bound work does
        spins += 1
        if now >= look:
            if release.exists():
                break
            look = now + 0.05
    return HttpResponse(f"slow {spins}", content_type="text/plain")


def fast(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"fast", content_type="text/plain")


def worker(request: HttpRequest, ms: int) -> HttpResponse:
    deadline = time.thread_time() + ms / 1000  # this thread's CPU, as a page's own work is
    while time.thread_time() < deadline:
        pass
    return HttpResponse(str(os.getpid()), content_type="text/plain")


def frozen(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"{os.getpid()} {gc.get_freeze_count()}", content_type="text/plain")


urlpatterns: list[Any] = [
    path("test/frozen/", frozen),
    path("test/slow/<int:seconds>/", slow),
    path("test/fast/", fast),
    path("test/worker/<int:ms>/", worker),
    path("", include("vigil.urls")),
]
