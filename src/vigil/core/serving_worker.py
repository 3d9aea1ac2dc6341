"""`vigil serve`'s gunicorn worker: gthread, sharing connections evenly between the workers.

gunicorn's gthread worker accepts every connection it can and keeps it for the connection's
life. A client that keeps its connection alive (a browser, a proxy's upstream pool, a load test)
stays on the worker that won the race to accept it, and a burst of connections is often won by
one worker: 15 or 16 of 16 kept-alive clients on one process, one core serving them all while
the other worker idles (docs/benchmarks.md §4, "ninth round: the serving layer").

Each worker publishes how many connections it holds (kept-alive ones included) in memory shared
by the workers of one server. A worker takes a waiting connection at once only when it holds no
more than any other worker and has a thread free. Otherwise it leaves the listening socket to
the others for a short while — ``BUSY_HOLD_SECONDS`` when it holds the fewest but every thread
is busy, ``HOLD_SECONDS`` when another worker holds fewer — and when the time is up it takes one
waiting connection itself (if no other worker has), then decides again. No connection waits
for a worker that is stuck or slow to wake: at worst it waits ``HOLD_SECONDS`` per connection
queued ahead of it. With one worker there is no one to leave a connection to, and the worker
accepts as gthread does.

A split can still come out uneven — a worker not scheduled for longer than the hold on a loaded
machine, or connections closed on one worker and not the other. A worker holding more than one
connection above the fewest therefore answers its next request with ``Connection: close``, one
connection at a time: the client (a browser, a proxy, wrk) opens a new connection, which the
worker holding the fewest takes. HTTP/1.1 clients do this routinely (Apache closes a
connection after 100 requests by default, nginx after 1,000).

Once its application is loaded, a worker keeps Python's cyclic garbage collector off what it
loaded (``settle_collector``), and once more after its first ``SETTLE_AFTER_ANSWERS`` answers,
between requests: new requests wait (at most ``SETTLE_WAIT_SECONDS``) until the ones in flight
have ended, so that no request's objects are frozen mid-way.
"""

from __future__ import annotations

import gc
import mmap
import threading
import time
from collections import deque
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

# How long a worker leaves a new connection to a worker holding fewer: long enough for an idle
# worker to be woken and scheduled on a loaded machine (and for a busy one's accepting thread
# to get Python's lock, whose switch interval is 5 ms), short beside a page.
HOLD_SECONDS = 0.05
# How long the worker holding the fewest connections, with every thread busy, leaves a new one
# to another worker that has a thread free.
BUSY_HOLD_SECONDS = 0.005
# After this many answers a worker settles its collector again, so that what its first pages
# loaded (templates, translation catalogues, compiled statements: ~20,000–30,000 objects on
# the search and list pages) is left out of later collections too.
SETTLE_AFTER_ANSWERS = 100
# How long new requests wait for the ones in flight to end before that second settling; when
# they have not ended by then (a long export, an import) the worker serves on and tries again
# after as many answers.
SETTLE_WAIT_SECONDS = 0.25


def settle_collector() -> None:
    """Once a worker has loaded its application: collect once, then freeze what it holds
    (``gc.freeze``: Django, the settings, the models, the URLs, Vigil's modules — ~150,000
    objects, none of them ever garbage, that every full collection walked, ~50 ms every ~100
    search pages). Garbage made afterwards is collected as before, at Python's thresholds;
    what the first pages load (templates, catalogues, compiled statements) is frozen by a
    second call once the worker has answered its first pages, between requests
    (``BalancedThreadWorker``; docs/benchmarks.md §4, "twelfth round" and "thirteenth round:
    the search page outside find_persons")."""
    gc.collect()
    gc.freeze()


# (pid, connections held) per worker, shared by the workers forked from this process (the
# gunicorn master imports this module to load the worker class, before it forks).
_SLOTS = 64
_board = mmap.mmap(-1, _SLOTS * 2 * 8)
_counts = memoryview(_board).cast("q")


def _slot(age: int) -> int:
    # gunicorn numbers the workers it spawns; two live workers 64 spawns apart would share a
    # slot and see less of each other (a less even split, never a refused connection).
    return 2 * (age % _SLOTS)


def forget_worker(pid: int) -> None:
    """Clear a worker's count once it has exited (gunicorn's ``child_exit``, in the master)."""
    for index in range(0, 2 * _SLOTS, 2):
        if _counts[index] == pid:
            _counts[index] = 0
            _counts[index + 1] = 0


def child_exit(server: Any, worker: Any) -> None:
    """gunicorn hook: a worker has exited; its connections are gone."""
    forget_worker(worker.pid)


def held_by_others(own_pid: int) -> list[int]:
    """Connections held by each other live worker of this server."""
    return [
        _counts[index + 1]
        for index in range(0, 2 * _SLOTS, 2)
        if _counts[index] not in (0, own_pid)
    ]


class BalancedThreadWorker(ThreadWorker):  # type: ignore[misc]
    """gthread, taking a new connection at once only when it holds the fewest and has a
    thread free (see the module)."""

    hold_seconds = HOLD_SECONDS
    busy_hold_seconds = BUSY_HOLD_SECONDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._hold_until = 0.0  # monotonic time until which the listener is left to the others
        self._shedding = 0  # connections told to close to even the split, not yet closed
        self._shed_lock = threading.Lock()
        self._answers = 0  # answers since the worker started, or since settling last gave up
        self._settled_again = False  # whether the first pages' objects are frozen
        # Connections whose next request waits for the second settling (None: none waits).
        self._held_back: deque[Any] | None = None
        self._settle_by = 0.0  # monotonic time until which they wait

    def init_process(self) -> None:
        self._publish()
        super().init_process()

    def load_wsgi(self) -> None:
        super().load_wsgi()
        settle_collector()

    def _publish(self) -> None:
        index = _slot(self.age)
        _counts[index] = self.pid
        _counts[index + 1] = self.nr_conns

    def in_hand(self) -> int:
        """Connections being served or queued for this worker's threads (not those kept alive
        and idle, nor those deferred while waiting for their first bytes)."""
        return int(self.nr_conns - len(self.keepalived_conns) - len(self.pending_conns))

    def hold_for(self) -> float:
        """Seconds to leave a waiting connection to the other workers (0: take it now)."""
        if self.cfg.workers < 2:
            return 0.0
        others = held_by_others(self.pid)
        if others and self.nr_conns > min(others):
            return self.hold_seconds
        if self.in_hand() >= self.cfg.threads:
            return self.busy_hold_seconds
        return 0.0

    def handle_request(self, req: Any, conn: Any) -> bool:
        if self.cfg.workers > 1 and self._shed(conn):
            req.force_close()  # answered with "Connection: close"; the client reconnects
        return bool(super().handle_request(req, conn))

    def _shed(self, conn: Any) -> bool:
        """Whether to close ``conn`` after this answer: this worker holds more than one
        connection above the worker holding the fewest, and closes one at a time."""
        others = held_by_others(self.pid)
        with self._shed_lock:
            if self._shedding or not others or self.nr_conns <= min(others) + 1:
                return False
            self._shedding += 1
        conn.vigil_shed = True
        return True

    def finish_request(self, conn: Any, fs: Any) -> None:
        super().finish_request(conn, fs)
        if getattr(conn, "vigil_shed", False):
            conn.vigil_shed = False
            with self._shed_lock:
                self._shedding -= 1
        self._answers += 1
        if (
            not self._settled_again
            and self._held_back is None
            and self._answers >= SETTLE_AFTER_ANSWERS
        ):
            self._held_back = deque()
            self._settle_by = time.monotonic() + SETTLE_WAIT_SECONDS
        self._settle_when_idle()
        self._publish()

    def enqueue_req(self, conn: Any) -> None:
        if self._held_back is not None:
            self._held_back.append(conn)  # served once the collector is settled again
            return
        super().enqueue_req(conn)

    def in_flight(self) -> int:
        """Requests being served by this worker's threads (or queued for them)."""
        return self.in_hand() - len(self._held_back or ())

    def _settle_when_idle(self) -> None:
        """Settle the collector a second time once no request is in flight (runs on the main
        thread, the only one that hands requests to the threads), then serve the requests that
        waited; when the wait is over first, serve them and try again later."""
        if self._held_back is None:
            return
        if self.in_flight() == 0:
            settle_collector()
            self._settled_again = True
        elif time.monotonic() < self._settle_by:
            return
        else:
            self._answers = 0
        held, self._held_back = self._held_back, None
        for conn in held:
            super().enqueue_req(conn)

    def accept(self, listener: Any) -> None:
        hold = self.hold_for()
        if hold:
            self._hold_until = time.monotonic() + hold
            self.set_accept_enabled(False)
            return
        super().accept(listener)
        self._publish()

    def set_accept_enabled(self, enabled: bool) -> None:
        if enabled and self._hold_until:
            return  # gthread's loop re-enables accepting each turn; not while holding
        super().set_accept_enabled(enabled)

    def wait_for_and_dispatch_events(self, timeout: float) -> None:
        if self._hold_until:
            timeout = min(timeout, max(0.0, self._hold_until - time.monotonic()))
        if self._held_back is not None:
            timeout = min(timeout, max(0.0, self._settle_by - time.monotonic()))
        super().wait_for_and_dispatch_events(timeout)
        self._settle_when_idle()  # the wait may be over
        if self._hold_until and time.monotonic() >= self._hold_until:
            self._hold_until = 0.0
            if self.alive:
                for listener in self.sockets:  # one connection each, if one is still waiting
                    super().accept(listener)  # non-blocking: nothing waiting is no error
        self._publish()  # connections closed meanwhile
