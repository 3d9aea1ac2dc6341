"""`vigil serve`'s workers freeze what their first pages loaded, between requests, and answer
every request meanwhile (``core.serving_worker``: the collector settled a second time after
``SETTLE_AFTER_ANSWERS`` answers; tests/core/test_serving_worker.py has the worker's rules)."""

from __future__ import annotations

import http.client
import threading
from pathlib import Path

import pytest
from tests.conftest import copy_installation
from tests.slow_page_server import serving_test_pages

from vigil.core.serving import DEFAULT_WORKERS
from vigil.core.serving_worker import SETTLE_AFTER_ANSWERS

pytestmark = pytest.mark.slow

CLIENTS = 8


def _frozen_by_worker(port: int) -> dict[str, int]:
    """Each worker's frozen objects, asked on new connections until every worker answered."""
    found: dict[str, int] = {}
    for _ in range(200):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", "/test/frozen/")
        response = conn.getresponse()
        pid, count = response.read().decode().split()
        conn.close()
        found[pid] = int(count)
        if len(found) == DEFAULT_WORKERS:
            break
    return found


def _ask(port: int, times: int, statuses: list[int]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for _ in range(times):
        conn.request("GET", "/test/worker/1/")
        response = conn.getresponse()
        response.read()
        statuses.append(response.status)
        if response.getheader("Connection", "").lower() == "close":
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.close()


def test_every_worker_freezes_what_its_first_pages_loaded_and_answers_every_request(
    tmp_path: Path, initialised_data: Path
):
    data = copy_installation(initialised_data, tmp_path / "data")
    with serving_test_pages(data, tmp_path / "slow-page-started") as port:
        before = _frozen_by_worker(port)
        assert len(before) == DEFAULT_WORKERS
        statuses: list[int] = []
        per_client = 3 * SETTLE_AFTER_ANSWERS * DEFAULT_WORKERS // CLIENTS
        clients = [
            threading.Thread(target=_ask, args=(port, per_client, statuses)) for _ in range(CLIENTS)
        ]
        for client in clients:
            client.start()
        for client in clients:
            client.join(timeout=120)
        after = _frozen_by_worker(port)
    assert statuses == [200] * (per_client * CLIENTS)
    assert after.keys() == before.keys()  # the same workers
    for pid, count in after.items():
        assert count > before[pid], f"worker {pid} froze nothing more after its first pages"
