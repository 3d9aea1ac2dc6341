"""Issue 12 §1 done-when: killing `vigil worker` mid-delivery and starting it again sends
nothing twice and loses nothing (real processes, a real SMTP server, an on-disk database)."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import copy_installation, keyfile_env
from tests.ports import free_port

from .conftest import FICTIONAL_NAME, fictional_row, write_rows

pytestmark = pytest.mark.slow

SETUP = """
from django.core.management import call_command as vigil
vigil("users", "add", "fictional-importer", "--role", "documenter")
for i in (1, 2, 3):
    vigil("users", "add", f"fictional-watcher-{{i}}", "--role", "coordinator",
          "--email", f"watcher-{{i}}@example.org")
vigil("import", "viasna", {v1!r}, acting_user="fictional-importer")
for i in (1, 2, 3):
    vigil("watch", "add", {name!r}, acting_user=f"fictional-watcher-{{i}}")
    if {digest!r}:
        vigil("watch", "email", "daily", acting_user=f"fictional-watcher-{{i}}")
vigil("import", "viasna", {v2!r}, acting_user="fictional-importer")
"""


@dataclass
class HangingInbox:
    """Accepts messages, but holds the second one until released and then refuses it."""

    accepted: list[str] = field(default_factory=list)
    seen: int = 0
    hanging: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.seen += 1
        if self.seen == 2:
            self.hanging.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 Not accepted (the client went away)"
        self.accepted.extend(envelope.rcpt_tos)
        return "250 Accepted"


def _env(data_dir: Path, smtp_port: int) -> dict[str, str]:
    env = keyfile_env(data_dir)
    env.update(
        VIGIL_EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        VIGIL_EMAIL_FROM="vigil-alerts@example.org",
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def test_killing_the_worker_mid_delivery_and_restarting_sends_nothing_twice_and_loses_nothing(
    tmp_path, initialised_data
):
    _kill_mid_delivery_and_restart(tmp_path, initialised_data, digest=False)


def test_killing_the_worker_mid_digest_and_restarting_sends_each_digest_once(
    tmp_path, initialised_data
):
    # Each watcher is on the daily digest, composed from hour 0: one digest each, once.
    _kill_mid_delivery_and_restart(tmp_path, initialised_data, digest=True)


def _kill_mid_delivery_and_restart(tmp_path: Path, initialised: Path, digest: bool) -> None:
    inbox = HangingInbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    env = _env(tmp_path / "data", port)
    env["VIGIL_DIGEST_HOUR"] = "0"
    vigil = [sys.executable, "-m", "vigil"]
    v1 = write_rows(tmp_path / "v1.csv", [fictional_row()])
    v2 = write_rows(tmp_path / "v2.csv", [fictional_row(release_date="2024-01-01")])
    copy_installation(initialised, tmp_path / "data")  # what `vigil init` would make
    try:
        setup = SETUP.format(v1=str(v1), v2=str(v2), name=FICTIONAL_NAME, digest=digest)
        subprocess.run([*vigil, "shell", "-c", setup], env=env, check=True, capture_output=True)

        first = subprocess.Popen(  # noqa: S603
            [*vigil, "worker", "--every", "0.2", "--lease", "3"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert inbox.hanging.wait(timeout=120), "the worker never reached the second e-mail"
        first.send_signal(signal.SIGKILL)  # dies while the second e-mail is in flight
        first.wait(timeout=30)
        inbox.release.set()
        assert inbox.accepted and len(inbox.accepted) == 1

        second = subprocess.run(
            [*vigil, "worker", "--every", "0.5", "--runs", "16", "--lease", "3"],
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert second.returncode == 0, second.stderr
        expected = {f"watcher-{i}@example.org" for i in (1, 2, 3)}
        assert sorted(inbox.accepted) == sorted(expected)  # each once, none lost

        again = subprocess.run(
            [*vigil, "deliver"], env=env, capture_output=True, text=True, check=True
        )
        assert again.stdout.startswith("sent 0,")
        assert sorted(inbox.accepted) == sorted(expected)
    finally:
        inbox.release.set()
        controller.stop()
