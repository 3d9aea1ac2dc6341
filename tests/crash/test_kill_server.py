"""kill -9 of `vigil serve` under API writes: every write the server acknowledged is in the
database after the crashes, and the audit log verifies.

A client thread POSTs persons with fictional names over loopback and keeps the id of every
201. While writes are being acknowledged, the test SIGKILLs, at seeded random moments, either
the whole server (gunicorn's master and its workers, then `vigil serve` again) or one worker
(the master starts another). Whole-server kills are fewer because each costs a server start
(about 2 s now that `vigil serve` collects static files only when they changed; 20–38 s
before). Runs on the database the test run is configured for (encrypted SQLite, or
PostgreSQL)."""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.ports import free_port

from .harness import Installation, children, installations, kill9, wait_for_port

pytestmark = pytest.mark.slow

# Whole server (master and workers) and single-worker kills, in a seeded order.
PLAN = ("server", "server", "worker", "worker", "worker", "worker")
SEED = 16
USER = "fictional-crash-writer"
TOKEN = (
    "from vigil.accounts.models import User; from vigil.accounts.tokens import create_token; "
    f"user = User.objects.create_user(username='{USER}', password=None, role='documenter'); "
    "print(create_token(user, 'kill -9 test')[1])"
)
# Which acknowledged persons are in the database, with the name each was written with and the
# values of its names (one per person here: a person without its name would be half a write).
STORED = (
    "import json; from vigil.records.models import Person, PersonName; "
    "ids = json.load(open({path!r})); "
    "print(json.dumps({{str(p.pk): [p.display_name, sorted(n.value for n in "
    "PersonName._base_manager.filter(person=p))] for p in "
    "Person._base_manager.filter(pk__in=ids)}}))"
)


@dataclass
class Writer:
    """POSTs persons until stopped; keeps what the server acknowledged and what failed."""

    port: int
    token: str
    acknowledged: dict[str, str] = field(default_factory=dict)
    refused: list[int] = field(default_factory=list)
    unanswered: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    def post(self, name: str) -> None:
        body = json.dumps({"display_name": name, "names": [{"value": name, "script": "Latn"}]})
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(
                "POST",
                "/api/persons",
                body=body,
                headers={
                    "Authorization": f"Bearer {self.token}",
                    "Content-Type": "application/json",
                },
            )
            response = connection.getresponse()
            answer = response.read()
        except (OSError, http.client.HTTPException):
            self.unanswered += 1  # written or not: the server never said
            time.sleep(0.2)
            return
        finally:
            connection.close()
        if response.status == 201:
            self.acknowledged[json.loads(answer)["id"]] = name
        else:
            self.refused.append(response.status)

    def wait_for_writes(self, seconds: float = 180) -> None:
        """Wait until the server acknowledges one more write (it is up and writing)."""
        start = len(self.acknowledged)
        deadline = time.monotonic() + seconds
        while len(self.acknowledged) == start:
            assert time.monotonic() < deadline, f"no write acknowledged within {seconds} s"
            time.sleep(0.05)

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            self.post(f"Fictional Crashtest Person {n}")


def _serve(installation: Installation, port: int) -> subprocess.Popen[bytes]:
    server = installation.start("serve", "--port", str(port), "--workers", "2")
    wait_for_port(port, server)
    return server


def _kill_a_worker(server: subprocess.Popen[bytes], rng: random.Random) -> None:
    workers = children(server.pid)
    assert workers, "gunicorn has no worker to kill"
    os.kill(rng.choice(workers), signal.SIGKILL)


def test_kill9_of_the_server_under_api_writes_loses_no_acknowledged_write(
    tmp_path: Path, installation_template: Installation
) -> None:
    began = time.monotonic()
    rng = random.Random(SEED)
    plan = list(PLAN)
    rng.shuffle(plan)
    with installations(tmp_path, installation_template) as made:
        installation = made.fresh("served")
        writer = Writer(free_port(), installation.shell(TOKEN))
        client = threading.Thread(target=writer.run, daemon=True)
        server = _serve(installation, writer.port)
        client.start()
        per_kill: list[int] = []
        restarts: list[float] = []
        try:
            for target in plan:
                acknowledged = len(writer.acknowledged)
                writer.wait_for_writes()
                time.sleep(rng.uniform(0.2, 2.0))
                if target == "server":
                    kill9(server)
                    killed = time.monotonic()
                    server = _serve(installation, writer.port)
                    writer.wait_for_writes()
                    restarts.append(time.monotonic() - killed)
                else:
                    _kill_a_worker(server, rng)
                per_kill.append(len(writer.acknowledged) - acknowledged)
            writer.wait_for_writes()  # the last server answers too
        finally:
            writer.stop.set()
            client.join(timeout=30)
            kill9(server)

        assert server.returncode == -signal.SIGKILL  # it ran to the end, killed by the test
        assert writer.refused == []
        ids = tmp_path / "acknowledged.json"
        ids.write_text(json.dumps(list(writer.acknowledged)))
        stored = json.loads(installation.shell(STORED.format(path=str(ids))))
        lost = {
            pk: name
            for pk, name in writer.acknowledged.items()
            if stored.get(pk) != [name, [name]]
        }
        assert lost == {}
        seen = installation.probe()
        assert seen.integrity == ["ok"]
        assert seen.audit == "ok"
        assert "Audit log intact" in installation.ok("audit", "verify")
    print(
        f"kill -9 of the server ({'postgresql' if made.postgres else 'sqlite'}): "
        f"kills {plan}, {len(writer.acknowledged)} writes acknowledged "
        f"(between kills {per_kill}), {writer.unanswered} unanswered, lost {len(lost)}, "
        f"kill to next acknowledged write {[round(r, 1) for r in restarts]} s, "
        f"total {time.monotonic() - began:.1f} s"
    )
