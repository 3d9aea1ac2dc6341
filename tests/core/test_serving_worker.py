"""`vigil serve`'s worker decides from the counts the workers share: which worker takes a new
connection now, which leaves it to the others for a while, and which closes one to even a split.
(tests/core/test_serve_balance.py runs the real server.)"""

from __future__ import annotations

import gc
import threading
import weakref
from collections import deque
from types import SimpleNamespace

import pytest
from gunicorn.workers.gthread import ThreadWorker

from vigil.core import serving_worker
from vigil.core.serving_worker import BalancedThreadWorker

OTHER_PID = 999_999_001


def _worker(holds: int, busy: int, workers: int = 2, threads: int = 2) -> BalancedThreadWorker:
    """A worker as gunicorn would have set it up, holding ``holds`` connections of which
    ``busy`` are being served or queued (the rest kept alive and idle)."""
    worker = BalancedThreadWorker.__new__(BalancedThreadWorker)
    worker.cfg = SimpleNamespace(workers=workers, threads=threads)
    worker.pid = 999_999_000
    worker.age = 1
    worker.nr_conns = holds
    worker.keepalived_conns = deque(range(holds - busy))
    worker.pending_conns = deque()
    worker._shedding = 0
    worker._shed_lock = threading.Lock()
    worker._publish()
    return worker


@pytest.fixture
def other_holds():
    """Publish another worker holding ``n`` connections; cleared afterwards."""

    def publish(n: int) -> None:
        serving_worker._counts[serving_worker._slot(2)] = OTHER_PID
        serving_worker._counts[serving_worker._slot(2) + 1] = n

    yield publish
    serving_worker.forget_worker(OTHER_PID)
    serving_worker.forget_worker(999_999_000)


def test_the_worker_holding_the_fewest_with_a_thread_free_takes_a_connection_at_once(
    other_holds,
):
    other_holds(3)
    assert _worker(holds=3, busy=1).hold_for() == 0.0


def test_a_worker_holding_more_than_another_leaves_the_connection_to_it(other_holds):
    other_holds(2)
    assert _worker(holds=3, busy=0).hold_for() == serving_worker.HOLD_SECONDS


def test_the_worker_holding_the_fewest_but_busy_leaves_it_briefly(other_holds):
    other_holds(5)
    hold = _worker(holds=2, busy=2).hold_for()
    assert hold == serving_worker.BUSY_HOLD_SECONDS < serving_worker.HOLD_SECONDS


def test_a_lone_worker_takes_every_connection_at_once(other_holds):
    other_holds(0)
    assert _worker(holds=9, busy=9, workers=1).hold_for() == 0.0


def test_a_worker_two_above_the_fewest_closes_one_connection_at_a_time(other_holds):
    other_holds(6)
    worker = _worker(holds=8, busy=8)
    first, second = SimpleNamespace(), SimpleNamespace()
    assert worker._shed(first) is True
    assert worker._shed(second) is False  # the first is not closed yet


def test_a_worker_one_above_the_fewest_keeps_its_connections(other_holds):
    other_holds(7)
    assert _worker(holds=8, busy=8)._shed(SimpleNamespace()) is False


def test_an_exited_worker_is_forgotten(other_holds):
    other_holds(4)
    assert 4 in serving_worker.held_by_others(999_999_000)
    serving_worker.forget_worker(OTHER_PID)
    assert serving_worker.held_by_others(999_999_000) == []


@pytest.fixture
def collector_restored():
    """Python's collector as it was before the test (frozen objects and thresholds)."""
    threshold = gc.get_threshold()
    frozen = gc.get_freeze_count()
    yield
    if not frozen:
        gc.unfreeze()
    gc.set_threshold(*threshold)


@pytest.mark.slow  # ~0.9 s a run on a quiet 2-core machine
def test_a_settled_collector_freezes_what_is_loaded_and_keeps_pythons_thresholds(
    collector_restored,
):
    loaded = [[n] for n in range(1000)]  # objects the process holds when its app is loaded
    threshold = gc.get_threshold()
    serving_worker.settle_collector()
    assert gc.get_freeze_count() >= len(loaded)
    assert gc.get_threshold() == threshold


def test_garbage_made_after_the_collector_is_settled_is_still_collected(collector_restored):
    serving_worker.settle_collector()

    class Node:
        pass

    collected = threading.Event()
    node = Node()
    node.me = node  # a cycle: freed only by the collector
    weakref.finalize(node, collected.set)
    del node
    gc.collect()
    assert collected.is_set()


def test_a_worker_settles_the_collector_once_its_application_is_loaded(monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(ThreadWorker, "load_wsgi", lambda self: calls.append("loaded"))
    monkeypatch.setattr(serving_worker, "settle_collector", lambda: calls.append("settled"))
    worker = BalancedThreadWorker.__new__(BalancedThreadWorker)
    worker.load_wsgi()
    assert calls == ["loaded", "settled"]


class _Settling:
    """A worker's requests for the second settling of its collector: what gthread hands to
    its threads, and when the collector is settled."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.submitted: list[object] = []
        self.settled = 0
        monkeypatch.setattr(ThreadWorker, "enqueue_req", lambda w, conn: self.submit(w, conn))
        monkeypatch.setattr(ThreadWorker, "finish_request", lambda w, conn, fs: None)
        monkeypatch.setattr(serving_worker, "settle_collector", self.settle)
        self.worker = _worker(holds=0, busy=0, workers=1, threads=4)
        self.worker._answers = 0
        self.worker._settled_again = False
        self.worker._held_back = None
        self.worker._settle_by = 0.0
        self.worker._hold_until = 0.0

    def submit(self, worker: BalancedThreadWorker, conn: object) -> None:
        self.submitted.append(conn)

    def settle(self) -> None:
        assert self.worker.in_flight() == 0, "settled while a request was in flight"
        self.settled += 1

    def arrive(self, conn: object) -> None:
        """A request arrives on a new connection: gthread counts it and enqueues it."""
        self.worker.nr_conns += 1
        self.worker.enqueue_req(conn)

    def answer(self, conn: object) -> None:
        """The request on ``conn`` is answered and its connection closed."""
        self.worker.nr_conns -= 1
        self.worker.finish_request(conn, None)


def test_a_worker_settles_its_collector_again_after_its_first_answers(monkeypatch):
    settling = _Settling(monkeypatch)
    for n in range(serving_worker.SETTLE_AFTER_ANSWERS - 1):
        settling.arrive(n)
        settling.answer(n)
    assert settling.settled == 0
    settling.arrive("last")
    settling.answer("last")
    assert settling.settled == 1
    for n in range(3 * serving_worker.SETTLE_AFTER_ANSWERS):
        settling.arrive(n)
        settling.answer(n)
    assert settling.settled == 1  # once only
    assert len(settling.submitted) == 4 * serving_worker.SETTLE_AFTER_ANSWERS


def test_requests_arriving_while_others_are_in_flight_wait_for_the_settling(monkeypatch):
    settling = _Settling(monkeypatch)
    for n in range(serving_worker.SETTLE_AFTER_ANSWERS - 1):
        settling.arrive(n)
        settling.answer(n)
    settling.arrive("slow")
    settling.arrive("a")
    settling.answer("a")  # the hundredth answer, "slow" still in flight
    settling.arrive("waits")
    settling.arrive("waits too")
    assert settling.settled == 0
    assert settling.submitted[-2:] == ["slow", "a"]  # the two waiting are not handed over
    settling.answer("slow")
    assert settling.settled == 1
    assert settling.submitted[-2:] == ["waits", "waits too"]  # handed over after it
    settling.arrive("later")
    assert settling.submitted[-1] == "later"


def test_a_request_in_flight_past_the_wait_lets_the_others_on_without_settling(monkeypatch):
    settling = _Settling(monkeypatch)
    clock = [1000.0]
    monkeypatch.setattr(serving_worker.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(ThreadWorker, "wait_for_and_dispatch_events", lambda w, timeout: None)
    for n in range(serving_worker.SETTLE_AFTER_ANSWERS - 1):
        settling.arrive(n)
        settling.answer(n)
    settling.arrive("export")
    settling.arrive("a")
    settling.answer("a")
    settling.arrive("waits")
    settling.worker.wait_for_and_dispatch_events(1.0)
    assert settling.submitted[-1] == "a"  # still waiting
    clock[0] += serving_worker.SETTLE_WAIT_SECONDS
    settling.worker.wait_for_and_dispatch_events(1.0)
    assert settling.settled == 0
    assert settling.submitted[-1] == "waits"  # served without the settling
    settling.answer("waits")
    settling.answer("export")
    for n in range(serving_worker.SETTLE_AFTER_ANSWERS - 3):
        settling.arrive(n)
        settling.answer(n)
    assert settling.settled == 0  # tried again only after as many answers
    settling.arrive("next")
    settling.answer("next")
    assert settling.settled == 1
