"""The real `vigil serve` (its default workers × threads) serving the test pages of
``tests/slow_page_urls.py`` beside Vigil's, for the serving layer's tests."""

from __future__ import annotations

import http.client
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import keyfile_env
from tests.ports import free_port


@contextmanager
def serving_test_pages(data: Path, slow_page_started: Path) -> Iterator[int]:
    """`vigil serve` on the installation ``data`` until the block ends; its port, once every
    worker is up and has its application loaded. The slow page marks ``slow_page_started``
    when it begins."""
    env = keyfile_env(data)
    env.update(
        SLOW_PAGE_STARTED=str(slow_page_started),
        VIGIL_SECURE_COOKIES="0",
        DJANGO_SETTINGS_MODULE="tests.slow_page_settings",
        PYTHONPATH=str(Path(__file__).resolve().parents[1]),
    )
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - fixed argv, the default layout
        [sys.executable, "-m", "vigil", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        assert "listening" in server.stdout.readline()
        for _ in range(30):  # every worker up and its application loaded
            fresh = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            fresh.request("GET", "/test/fast/")
            response = fresh.getresponse()
            response.read()
            assert response.status == 200
            fresh.close()
        yield port
    finally:
        server.terminate()
        server.wait(timeout=60)
