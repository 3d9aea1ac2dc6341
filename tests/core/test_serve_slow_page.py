"""`vigil serve`'s default layout: a slow page in flight does not hold the fast pages behind it.

The real `vigil serve` (its default workers × threads, gunicorn, Vigil's middleware) serves two
test pages beside Vigil's (``tests/slow_page_urls.py``): one busy in Python for seconds, as an
export or a PDF is, and one that answers at once. While the slow page is in flight, fast pages
on new connections and on connections kept alive from before must still answer quickly.
"""

from __future__ import annotations

import http.client
import threading
import time
from pathlib import Path

import pytest
from tests.conftest import copy_installation
from tests.slow_page_server import serving_test_pages

pytestmark = pytest.mark.slow

SLOW_SECONDS = 8
FAST_LIMIT = 2.0  # seconds: a fast page queued behind the slow one would wait for most of 8


def _get(conn: http.client.HTTPConnection, path: str) -> tuple[int, float]:
    """The answer's status (0: the connection failed) and how long it took."""
    started = time.monotonic()
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        status = response.status
    except (OSError, http.client.HTTPException):
        status = 0
    return status, time.monotonic() - started


def test_fast_pages_answer_quickly_while_a_slow_page_is_in_flight(
    tmp_path: Path, initialised_data: Path
):
    data = copy_installation(initialised_data, tmp_path / "data")
    started_mark = tmp_path / "slow-page-started"
    with serving_test_pages(data, started_mark) as port:
        kept = [http.client.HTTPConnection("127.0.0.1", port, timeout=60) for _ in range(6)]
        for conn in kept:  # kept alive, each on whichever worker took it
            assert _get(conn, "/test/fast/")[0] == 200

        slow_answer: list[int] = []
        slow_conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        slow = threading.Thread(
            target=lambda: slow_answer.append(_get(slow_conn, f"/test/slow/{SLOW_SECONDS}/")[0])
        )
        slow.start()
        waited = time.monotonic()
        while not started_mark.exists():  # the slow page is being drawn
            assert time.monotonic() - waited < 60, "the slow page never started"
            time.sleep(0.02)

        answers = []  # (status, seconds); kept-alive connections first: gunicorn closes one
        for conn in kept:  # idle for 2 s, and a client may be that late only behind a slow page
            answers.append(_get(conn, "/test/fast/"))
        for _ in range(20):
            fresh = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            answers.append(_get(fresh, "/test/fast/"))
            fresh.close()
        still_in_flight = slow.is_alive()
        # The answers are in: the slow page may end now rather than spin out its 8 s (a fast
        # page queued behind it would already have waited for them).
        started_mark.with_name(started_mark.name + ".release").touch()
        slow.join(timeout=120)

        late = [(status, round(s, 2)) for status, s in answers if status != 200 or s >= FAST_LIMIT]
        assert not late, f"{len(late)} of {len(answers)} fast pages failed or waited: {late}"
        assert still_in_flight, "the slow page ended before the fast ones were answered"
        assert slow_answer == [200]
