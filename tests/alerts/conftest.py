"""A real SMTP server (aiosmtpd) and a real HTTP receiver on 127.0.0.1, and fictional data."""

from __future__ import annotations

import csv
import http.server
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.ports import free_port
from vigil.accounts.models import User
from vigil.alerts.models import Outbox
from vigil.importers.viasna import COLUMNS


@dataclass
class Inbox:
    """What the SMTP server received: parsed messages with their envelope recipients."""

    messages: list[tuple[list[str], Message, bytes]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        raw = envelope.original_content or envelope.content
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(raw), raw))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings) -> Iterator[Inbox]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.VIGIL_EMAIL_URL = f"smtp://127.0.0.1:{port}"
    settings.VIGIL_EMAIL_FROM = "vigil-alerts@example.org"
    settings.VIGIL_BASE_URL = "https://vigil.example.org"
    try:
        yield inbox
    finally:
        controller.stop()


@dataclass
class Receiver:
    """What the HTTP receiver got; ``status`` is what it answers."""

    url: str = ""
    status: int = 204
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture
def webhook_receiver() -> Iterator[Receiver]:
    received = Receiver()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            received.requests.append((dict(self.headers.items()), body))
            self.send_response(received.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    received.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield received
    finally:
        server.shutdown()
        server.server_close()


def make_user(name: str, role: str, email: str = "") -> User:
    return User.objects.create_user(name, email, None, role=role, is_active=True)


FICTIONAL_NAME = "Ivanka Tsvirko"
FICTIONAL_PLACE = "Penal colony No. 4"
FICTIONAL_JUDGE = "Zmitrok Fictionaly"


def fictional_row(**overrides: str) -> dict[str, str]:
    """One fictional Viasna row (the names say they are fictional)."""
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        id="900001",
        url="https://example.org/person/fictional-ivanka-tsvirko",
        name=FICTIONAL_NAME,
        status="active",
        gender="female",
        birthday="1990-01-02",
        arrested="2021-03-04",
        articles="Art. 342 of the Criminal Code — Fictional title",
        prison_title=FICTIONAL_PLACE,
        decision="2 1/2 years",
        penalty="imprisonment in a general-security penal colony",
        judge=FICTIONAL_JUDGE,
        counsel="Fictionava",
        verdict_date="2021-09-01",
    )
    row.update(overrides)
    return row


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path


MESSAGE_ID = re.compile(r"<\d+\.\d+\.\d+@[\w.-]+>")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def assert_names_none_of(raw: bytes, secrets: Iterable[str]) -> None:
    """The sent e-mail, every header and the body, holds none of ``secrets``.

    Some of it is made of digits and hex by construction, and those can hold a short number
    such as an article ("342") by chance: the Message-ID (clock, process id and 64 random bits:
    "342" turned up in one run in twelve), record ids (UUIDs, in links and the dedup key) and
    the outbox row's id (a PostgreSQL sequence reaches 342 in a long run). Those are checked
    by their shape instead: the Message-ID is digits only, X-Vigil-Delivery is exactly the
    row's id and dedup key; UUIDs are masked; everything else is searched as text.
    """
    text = re.sub(r"\r?\n[ \t]+", " ", raw.decode("utf-8", "replace"))  # unfold headers
    head, _, body = re.split(r"(\r?\n\r?\n)", text, maxsplit=1)
    kept = []
    for line in head.splitlines():
        name, _, value = line.partition(":")
        value = value.strip()
        if name.lower() == "message-id":
            assert MESSAGE_ID.fullmatch(value), value
        elif name.lower() == "x-vigil-delivery":
            pk, _, key = value.partition(":")
            assert value == f"{pk}:{Outbox.objects.get(pk=pk).dedup_key}", value
            assert re.fullmatch(
                r"[a-z._]+(:(<uuid>|v\d+|\d+|[a-z]+|\d{4}-\d\d-\d\d))*", UUID.sub("<uuid>", key)
            ), key
        else:
            kept.append(line)
    searched = UUID.sub("<uuid>", "\n".join(kept) + "\n\n" + body)
    for secret in secrets:
        assert secret not in searched, secret
