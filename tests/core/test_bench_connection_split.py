"""The web benchmarks count the connections each server process holds (``web_load``)."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from web_load import connections_by_process  # noqa: E402


def test_connections_accepted_by_this_process_are_counted_and_queued_ones_are_not():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(5)]
        accepted = [listener.accept()[0] for _ in range(3)]  # two stay in the kernel's queue
        try:
            assert connections_by_process(port) == [3]
        finally:
            for s in clients + accepted:
                s.close()


def test_a_port_nobody_serves_holds_no_connections():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert connections_by_process(port) == []
