"""Issue 14 §5 done-when: two `vigil serve` hosts and two `vigil worker` hosts on one PostgreSQL.

Each host is its own data folder (its own static files, nothing shared on its disk) holding
copies of the three files an operator distributes: the database key, the web secret and the
audit signing key; the evidence store is one shared folder (VIGIL_EVIDENCE_DIR). The test
writes through both servers over HTTP, signs in on one host and is served by the other, edits
one record through both at the same moment (the stale write is refused with 409), and queues
alerts through both while both workers deliver to a real SMTP server and a real HTTP receiver;
one worker is killed with SIGKILL in the middle of an e-mail. Every alert arrives exactly once.

PostgreSQL only: two hosts cannot share an encrypted SQLite file (it is one process's disk).
"""

from __future__ import annotations

import asyncio
import http.server
import json
import os
import re
import resource
import shutil
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from pathlib import Path
from typing import Any

import psycopg
import pyotp
import pytest
import requests
from aiosmtpd.controller import Controller
from django.db import connection

from tests.crash.harness import Installation, installations, kill9, wait_for_port
from tests.ports import free_port

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DELIVERY = "X-Vigil-Delivery"
WRITER = "fictional-multihost-writer"
ADMIN = "fictional-multihost-admin"
WATCHERS = ("fictional-multihost-watcher-1", "fictional-multihost-watcher-2")
ACTS_PER_HOST = 4
PERSONS_PER_HOST = 6
LEASE = 5  # seconds a worker's claim lasts: the killed worker's rows wait this long
# The shared files an operator copies to every host (docs/operations.md, "Several hosts").
SHARED_FILES = ("vigil.key", "secret_key", "audit-signing.key")

SETUP = """
import json, pyotp
from django.core.management import call_command as vigil
from django.utils import timezone
from vigil.accounts.models import TOTPDevice, User
from vigil.accounts.tokens import create_token
writer = User.objects.create_user({writer!r}, "", {password!r}, role="documenter")
secret = pyotp.random_base32(32)
TOTPDevice.objects.create(user=writer, secret=secret, confirmed_at=timezone.now())
for name in {watchers!r}:
    User.objects.create_user(name, name + "@example.org", None, role="coordinator")
User.objects.create_user({admin!r}, "", None, role="admin")
vigil("webhooks", "add", {hook!r}, "--secret", "fictional-hook-secret-0123456789",
      acting_user={watchers!r}[0])
from vigil.core.context import change_context
from vigil.records.models import Person, Source
with change_context("cli", actor=writer, detail="two hosts"):
    source = Source(title="Fictional multihost source")
    source.save()
    watched = Person(display_name="Fictional Multihost Watched Person")
    watched.save()
vigil("evidence", "add", {document!r}, "--source", str(source.pk), acting_user={writer!r})
for name in {watchers!r}:
    vigil("watch", "add", str(watched.pk), acting_user=name)
vigil("audit", "checkpoint")  # the log's signing key is now on record
print(json.dumps({{"token": create_token(writer, "two hosts")[1], "totp": secret,
                  "watched": str(watched.pk)}}))
"""
# What the outbox and its delivery log hold at the end (read straight from PostgreSQL).
OUTBOX = """
SELECT (SELECT count(*) FROM alerts_outbox),
       (SELECT count(*) FROM alerts_outbox WHERE sent_at IS NOT NULL),
       (SELECT count(*) FROM (SELECT outbox_id FROM alerts_deliverylog WHERE outcome = 'sent'
                              GROUP BY outbox_id HAVING count(*) > 1) AS twice)
"""


@dataclass
class HangingInbox:
    """Accepts e-mails; holds the third until released (its sender is killed meanwhile)."""

    accepted: list[tuple[str, str]] = field(default_factory=list)
    seen: int = 0
    hung_peer: tuple[str, int] | None = None
    hanging: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.seen += 1
        if self.seen == 3:
            self.hung_peer = session.peer
            self.hanging.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 Not accepted (the sender went away)"
        message = message_from_bytes(envelope.original_content or envelope.content)
        self.accepted.append((envelope.rcpt_tos[0], str(message.get(DELIVERY, ""))))
        return "250 Accepted"


@dataclass
class Hooks:
    url: str = ""
    deliveries: list[str] = field(default_factory=list)


@pytest.fixture
def hooks() -> Iterator[Hooks]:
    received = Hooks()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            received.deliveries.append(self.headers.get(DELIVERY, ""))
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    received.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield received
    finally:
        server.shutdown()
        server.server_close()


def _host(made_root: Path, first: Installation, name: str, evidence: Path) -> Installation:
    """Another host: its own folder with copies of the shared files, the same database."""
    folder = made_root / name
    folder.mkdir(mode=0o700)
    for shared in SHARED_FILES:
        shutil.copy2(first.data_dir / shared, folder / shared)
    host = Installation(folder, first.database_url)
    host.env["VIGIL_EVIDENCE_DIR"] = str(evidence)
    return host


def _socket_owner(local_port: int, remote_port: int, pids: list[int]) -> int:
    """Which of ``pids`` holds the loopback TCP connection from ``local_port`` (via /proc)."""
    inode = ""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = fields[1], fields[2]
        if int(local.split(":")[1], 16) == local_port and int(remote.split(":")[1], 16) == (
            remote_port
        ):
            inode = fields[9]
    assert inode, "the hanging SMTP connection is not in /proc/net/tcp"
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) == f"socket:[{inode}]":
                    return pid
            except OSError:
                continue
    raise AssertionError("no worker holds the hanging SMTP connection")


class Client:
    """A signed-in API client of one host."""

    def __init__(self, port: int, token: str) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def post(self, path: str, body: dict[str, Any]) -> requests.Response:
        return self.session.post(self.base + path, json=body, timeout=30)

    def get(self, path: str) -> requests.Response:
        return self.session.get(self.base + path, timeout=30)

    def patch(self, path: str, body: dict[str, Any]) -> requests.Response:
        return self.session.patch(self.base + path, json=body, timeout=30)


def _csrf(page: requests.Response) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert found, "no CSRF token on the page"
    return found.group(1)


def _password_step(browser: requests.Session, base: str, password: str) -> requests.Response:
    login = browser.get(f"{base}/accounts/login/", timeout=30)
    return browser.post(
        f"{base}/accounts/login/",
        data={"csrfmiddlewaretoken": _csrf(login), "username": WRITER, "password": password},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=30,
    )


def _code_step(browser: requests.Session, base: str, code: str) -> requests.Response:
    form = browser.get(f"{base}/accounts/2fa/", timeout=30)
    return browser.post(
        f"{base}/accounts/2fa/",
        data={"csrfmiddlewaretoken": _csrf(form), "code": code},
        headers={"Referer": f"{base}/accounts/2fa/"},
        timeout=30,
        allow_redirects=False,
    )


def _wait(condition: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} within {seconds} s"
        time.sleep(0.1)


def _cpu_seconds() -> float:
    """CPU time of this process and its ended children: what the test costs under any load."""
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("two hosts share one PostgreSQL; an encrypted SQLite file is one host's disk")


def test_two_servers_and_two_workers_on_one_postgresql_lose_no_update_and_send_nothing_twice(
    tmp_path: Path, hooks: Hooks, request: pytest.FixtureRequest
) -> None:
    # Asked for here, not as a parameter: a session fixture would be made before the skip.
    template: Installation = request.getfixturevalue("installation_template")
    began = time.monotonic()
    cpu_before = _cpu_seconds()
    phases: dict[str, float] = {}

    def phase(name: str) -> None:
        phases[name] = round(time.monotonic() - began, 1)

    inbox = HangingInbox()
    smtp_port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    processes: list[subprocess.Popen[bytes]] = []
    evidence = tmp_path / "shared-evidence"
    evidence.mkdir(mode=0o700)
    password = "fictional-multihost-password-1"
    try:
        with installations(tmp_path, template) as made:
            first = made.fresh("host-a")
            first.env["VIGIL_EVIDENCE_DIR"] = str(evidence)
            document = tmp_path / "statement.txt"
            document.write_text("A fictional statement, stored once for every host.\n")
            secrets_out = json.loads(
                first.shell(
                    SETUP.format(
                        writer=WRITER,
                        password=password,
                        watchers=WATCHERS,
                        admin=ADMIN,
                        hook=hooks.url,
                        document=str(document),
                    )
                )
            )
            phase("init+setup")
            second = _host(tmp_path, first, "host-b", evidence)
            hosts = (first, second)
            for host in hosts:
                host.env.update(
                    VIGIL_EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
                    VIGIL_EMAIL_FROM="vigil-alerts@example.org",
                    PYTHONUNBUFFERED="1",
                )
            # A host with an audit signing key of its own (here: none) must not start.
            stray = _host(tmp_path, first, "host-stray", evidence)
            (stray.data_dir / "audit-signing.key").unlink()

            ports = [free_port(), free_port()]
            for host, port in zip(hosts, ports, strict=True):
                processes.append(host.start("serve", "--port", str(port), "--workers", "1"))
            logs = [tmp_path / f"worker-{n}.log" for n in (1, 2)]
            workers = [
                subprocess.Popen(  # noqa: S603 - fixed argv
                    host.argv("worker", "--every", "0.2", "--lease", str(LEASE), "--limit", "2"),
                    env=host.env,
                    stdout=log.open("wb"),
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
                for host, log in zip(hosts, logs, strict=True)
            ]
            processes.extend(workers)
            checks = [
                subprocess.Popen(  # noqa: S603 - fixed argv
                    installation.argv(*argv),
                    env=installation.env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for installation, argv in (
                    (stray, ("worker", "--runs", "1")),
                    # Evidence stored on host A is read and verified on host B.
                    (second, ("evidence", "verify", "--all", "--as", ADMIN)),
                )
            ]
            for port, server in zip(ports, processes[:2], strict=True):
                wait_for_port(port, server, seconds=400)
            started = time.monotonic() - began
            phase("started")
            refused, verified = (check.communicate(timeout=120) for check in checks)
            assert checks[0].returncode == 2
            assert "checkpoint" in refused[1] and "Traceback" not in refused[1]
            assert checks[1].returncode == 0, verified[1]
            assert "All 1 evidence file(s) match their SHA-256." in verified[0]
            stored_files = list(evidence.rglob("*.age"))
            assert len(stored_files) == 1  # in the shared folder, encrypted
            assert document.read_bytes() not in stored_files[0].read_bytes()
            a, b = (Client(port, secrets_out["token"]) for port in ports)

            # Writes through both servers, read back through the other one.
            made_on: dict[str, str] = {}

            def write(client: Client, label: str) -> None:
                for n in range(PERSONS_PER_HOST):
                    name = f"Fictional Multihost Person {label}{n}"
                    answer = client.post("/api/persons", {"display_name": name})
                    assert answer.status_code == 201, answer.text
                    made_on[answer.json()["id"]] = label

            threads = [threading.Thread(target=write, args=(c, x)) for c, x in ((a, "A"), (b, "B"))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert Counter(made_on.values()) == {"A": PERSONS_PER_HOST, "B": PERSONS_PER_HOST}
            for pk, label in made_on.items():
                other = b if label == "A" else a
                assert other.get(f"/api/persons/{pk}").status_code == 200

            phase("persons")
            # The same record edited through both servers at once: one wins, one gets 409.
            contested = next(iter(made_on))
            read = {c: c.get(f"/api/persons/{contested}").json()["version"] for c in (a, b)}
            assert read[a] == read[b]
            barrier = threading.Barrier(2)
            answers: dict[str, requests.Response] = {}

            def edit(client: Client, label: str) -> None:
                barrier.wait()
                answers[label] = client.patch(
                    f"/api/persons/{contested}",
                    {"version": read[client], "display_name": f"Fictional Edited On {label}"},
                )

            edits = [threading.Thread(target=edit, args=(c, x)) for c, x in ((a, "A"), (b, "B"))]
            for thread in edits:
                thread.start()
            for thread in edits:
                thread.join()
            assert sorted(r.status_code for r in answers.values()) == [200, 409]
            winner = next(x for x, r in answers.items() if r.status_code == 200)
            for client in (a, b):
                now = client.get(f"/api/persons/{contested}").json()
                assert now["display_name"] == f"Fictional Edited On {winner}"
                assert now["version"] == read[a] + 1

            phase("edit")
            # A web session signed in on one host is served by the other; the code it used
            # cannot be replayed on the other host; failed passwords count on both hosts.
            browser = requests.Session()
            assert _password_step(browser, a.base, password).ok
            code = pyotp.TOTP(secrets_out["totp"]).now()
            assert _code_step(browser, a.base, code).status_code == 302
            home = browser.get(f"{b.base}/", timeout=30, allow_redirects=False)
            assert home.status_code == 200
            replay = requests.Session()
            assert _password_step(replay, b.base, password).ok
            assert _code_step(replay, b.base, code).status_code == 200  # refused: form again
            assert replay.get(f"{b.base}/", timeout=30, allow_redirects=False).status_code == 302
            guesses = [
                _password_step(requests.Session(), c.base, "not-the-password-1").status_code
                for c in (a, b, a, b, a, b)
            ]
            # The refused replay was the first failure; four more fill the limit of five.
            assert guesses == [200, 200, 200, 200, 429, 429]

            phase("sign-in")
            # Alerts queued through both servers while both workers deliver.
            person = secrets_out["watched"]
            event = a.post("/api/events", {"title": "Fictional multihost event"}).json()["id"]
            for n in range(ACTS_PER_HOST):
                for client in (a, b):
                    act = client.post(
                        "/api/acts",
                        {
                            "event": event,
                            "act_type": "threat",
                            "victim_person": person,
                            "date_text": f"{2000 + n}",
                        },
                    )
                    assert act.status_code == 201, act.text
            acts = 2 * ACTS_PER_HOST
            expected_mail = acts * len(WATCHERS)
            expected_hooks = acts  # the first watcher's webhook

            phase("acts")
            assert inbox.hanging.wait(timeout=60), "no worker reached the third e-mail"
            assert inbox.hung_peer is not None
            victim = _socket_owner(inbox.hung_peer[1], smtp_port, [w.pid for w in workers])
            killed = next(w for w in workers if w.pid == victim)
            kill9(killed)  # dies in the middle of an e-mail the server has not accepted
            inbox.release.set()
            survivor = next(w for w in workers if w is not killed)

            _wait(
                lambda: (
                    len(inbox.accepted) >= expected_mail and len(hooks.deliveries) >= expected_hooks
                ),
                60,
                "every alert delivered",
            )
            phase("delivered")
            time.sleep(LEASE + 1)  # past the lease: a doubled send would have arrived
            assert survivor.poll() is None, "the surviving worker stopped"
            with psycopg.connect(first.database_url) as db:
                stored = db.execute(OUTBOX).fetchone()
            total = expected_mail + expected_hooks
            assert stored == (total, total, 0)  # every row sent, none logged as sent twice
            sent_by = [
                sum(int(m) for m in re.findall(r"^sent (\d+),", log.read_text(), re.MULTILINE))
                for log in logs
            ]
    finally:
        print(f"phases (s since start): {phases}")
        inbox.release.set()
        for process in processes:
            kill9(process)
        controller.stop()

    mail_ids = [delivery for _, delivery in inbox.accepted]
    assert all(mail_ids) and all(hooks.deliveries)
    assert len(mail_ids) == len(set(mail_ids)) == expected_mail  # each e-mail exactly once
    assert len(hooks.deliveries) == len(set(hooks.deliveries)) == expected_hooks
    assert Counter(to for to, _ in inbox.accepted) == {f"{w}@example.org": acts for w in WATCHERS}
    print(
        f"two hosts on PostgreSQL: servers and workers up in {started:.1f} s, "
        f"{2 * PERSONS_PER_HOST} persons written through both, concurrent edit "
        f"{answers['A'].status_code}/{answers['B'].status_code}, {len(mail_ids)} e-mails and "
        f"{len(hooks.deliveries)} "
        f"webhooks each once with one worker killed mid-e-mail (sent by worker: {sent_by}), "
        "total "
        f"{time.monotonic() - began:.1f} s (CPU of all processes "
        f"{_cpu_seconds() - cpu_before:.1f} s, load average {os.getloadavg()[0]:.1f}); "
        f"phases {phases}"
    )
