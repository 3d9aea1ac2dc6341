"""A clean stop of `vigil serve` or of a command that audited signs a checkpoint of the head."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tests.conftest import copy_installation, keyfile_env
from tests.ports import free_port
from vigil.audit import audit
from vigil.audit.checkpoints import checkpoint_if_behind, create_checkpoint
from vigil.audit.models import AuditCheckpoint, AuditHead
from vigil.audit.shutdown import checkpoint_at_shutdown, gunicorn_on_exit
from vigil.core.commands import VigilCommand
from vigil.core.serving import _shutdown_hooks

pytestmark = pytest.mark.django_db


class _Auditing(VigilCommand):
    help = "a command that writes two audit entries"

    def handle(self, *args: Any, **options: Any) -> None:
        audit("identity_read", field="last_name")
        audit("identity_read", field="first_name")


class _Quiet(VigilCommand):
    help = "a command that writes nothing to the audit log"

    def handle(self, *args: Any, **options: Any) -> None:
        return None


def test_req28_a_command_that_audited_signs_a_checkpoint_when_it_ends():
    audit("login", method="totp")
    call_command(_Auditing())
    [checkpoint] = AuditCheckpoint.objects.all()
    assert checkpoint.size == AuditHead.objects.get().size == 3


def test_req28_a_command_that_audited_nothing_signs_no_checkpoint():
    audit("login", method="totp")
    call_command(_Quiet())
    assert not AuditCheckpoint.objects.exists()


def test_req28_checkpoint_at_shutdown_signs_only_when_the_log_grew():
    assert checkpoint_if_behind() is None  # an empty log
    audit("login", method="totp")
    create_checkpoint()
    assert checkpoint_at_shutdown() is None
    audit("logout")
    assert checkpoint_at_shutdown().size == 2
    assert AuditCheckpoint.objects.count() == 2


def test_req28_serve_registers_the_shutdown_checkpoint_with_gunicorn():
    hooks = _shutdown_hooks()
    assert hooks["on_exit"] is gunicorn_on_exit
    audit("login", method="totp")
    hooks["on_exit"](None)
    assert AuditCheckpoint.objects.get().size == 1


def test_req28_a_checkpoint_that_cannot_be_signed_at_shutdown_is_a_warning(
    audit_key_file, caplog
):
    audit("login", method="totp")
    os.chmod(audit_key_file, 0o644)
    with caplog.at_level(logging.WARNING, logger="vigil.audit.shutdown"):
        assert checkpoint_at_shutdown() is None
    assert "readable by other users" in caplog.text


def _vigil(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "vigil", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def _last_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.slow
def test_req28_vigil_serve_stopped_with_sigterm_signs_a_checkpoint_of_its_head(
    tmp_path: Path, initialised_data: Path
):
    env = keyfile_env(tmp_path / "data")
    env.update(VIGIL_SECURE_COOKIES="0", DJANGO_SETTINGS_MODULE="vigil.settings")
    copy_installation(initialised_data, tmp_path / "data")  # what `vigil init` would make
    # `vigil shell` is Django's command, not Vigil's: it leaves the log behind its checkpoint.
    grow = "from vigil.audit import audit; audit('login', method='totp'); audit('logout')"
    assert _vigil(env, "shell", "-c", grow).returncode == 0
    count = (
        "from vigil.audit.models import AuditCheckpoint as C, AuditHead as H; "
        "print(H.objects.get().size, list(C.objects.values_list('size', flat=True)))"
    )
    before = _last_line(_vigil(env, "shell", "-c", count)).split(maxsplit=1)
    assert before == ["2", "[]"]
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "vigil", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Wait for the server's own announcement, not for the port to answer: another test's
        # server may hold a port `free_port` just handed out, and a SIGTERM sent before
        # gunicorn runs would stop the process before it could sign anything.
        assert server.stdout is not None
        line = server.stdout.readline()  # blocks until the announcement (or the end)
        assert line.startswith(f"Vigil at http://127.0.0.1:{port}/"), (
            line + (server.stderr.read() if server.stderr else "")
        )
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
    after = _last_line(_vigil(env, "shell", "-c", count)).split(maxsplit=1)
    assert after == ["2", "[2]"]
