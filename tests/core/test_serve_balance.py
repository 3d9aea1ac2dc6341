"""`vigil serve` shares kept-alive connections evenly between its workers, and still answers new
connections at once while every worker is busy.

gunicorn's own gthread worker keeps every connection it wins for the connection's life, and a
burst of connections is often won by one worker: 16 kept-alive clients split 15 / 1 or 16 / 0,
one core serving them all (docs/benchmarks.md §4, "ninth round: the serving layer"). The real
`vigil serve` (its default workers × threads, Vigil's middleware) serves a test page that is
busy for a few milliseconds and answers which worker drew it (``tests/slow_page_urls.py``).
"""

from __future__ import annotations

import http.client
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from tests.conftest import copy_installation
from tests.slow_page_server import serving_test_pages

from vigil.core.serving import DEFAULT_WORKERS

pytestmark = pytest.mark.slow

CLIENTS = 16
LOAD_SECONDS = 6.0
PAGE = "/test/worker/5/"  # 5 ms of a thread's CPU, then the worker's process id
FAST_LIMIT = 2.0  # seconds for a new connection's answer while the clients keep the server busy


def _client(port: int, start: threading.Barrier, until: list[float], seen: list[str]) -> None:
    """One kept-alive client asking ``PAGE`` in a loop, as a load test's or a proxy's is."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    start.wait()
    try:
        while time.monotonic() < until[0]:
            conn.request("GET", PAGE)
            response = conn.getresponse()
            body = response.read().decode()
            seen.append(body if response.status == 200 else f"status {response.status}")
    except (OSError, http.client.HTTPException) as error:
        seen.append(f"failed: {error!r}")
    finally:
        conn.close()


def test_kept_alive_clients_are_shared_between_workers_and_new_ones_are_not_starved(
    tmp_path: Path, initialised_data: Path
):
    assert DEFAULT_WORKERS == 2  # the split below is of two workers
    data = copy_installation(initialised_data, tmp_path / "data")
    with serving_test_pages(data, tmp_path / "unused") as port:
        time.sleep(1)  # the warm-up connections closed and forgotten by the workers

        until = [float("inf")]
        start = threading.Barrier(CLIENTS + 1)
        seen: list[list[str]] = [[] for _ in range(CLIENTS)]
        clients = [
            threading.Thread(target=_client, args=(port, start, until, seen[n]))
            for n in range(CLIENTS)
        ]
        for client in clients:
            client.start()
        start.wait()  # the 16 connect at once, as wrk's do
        until[0] = time.monotonic() + LOAD_SECONDS
        time.sleep(1.5)
        fresh_answers = []  # new connections while the 16 keep every worker busy
        for _ in range(10):
            began = time.monotonic()
            fresh = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            fresh.request("GET", "/test/fast/")
            fresh_answers.append((fresh.getresponse().status, time.monotonic() - began))
            fresh.close()
        loaded_to_the_end = time.monotonic() < until[0]
        for client in clients:
            client.join(timeout=120)

        failed = [answer for answers in seen for answer in answers if not answer.isdigit()]
        assert not failed, failed
        assert all(len(answers) >= 5 for answers in seen), [len(a) for a in seen]
        # where each client's connection was at the end, and how often one moved (a worker
        # holding more than one above the other closes one connection at a time)
        split = Counter(answers[-1] for answers in seen)
        moves = sum(a != b for answers in seen for a, b in zip(answers, answers[1:], strict=False))
        print(f"split at the end {dict(split)}, connections moved {moves}")
        assert len(split) == DEFAULT_WORKERS, f"split {split}"
        assert min(split.values()) >= CLIENTS // DEFAULT_WORKERS - 1, f"split {split}"
        assert moves <= 2 * CLIENTS, f"connections moved {moves} times: the split churns"

        late = [(status, round(s, 2)) for status, s in fresh_answers
                if status != 200 or s >= FAST_LIMIT]  # fmt: skip
        assert not late, f"{len(late)} of {len(fresh_answers)} new connections waited: {late}"
        assert loaded_to_the_end, "the load ended before the new connections were answered"
