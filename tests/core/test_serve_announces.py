"""`vigil serve` announces its address once it listens, and `vigil demo --no-serve` does not."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.conftest import child_env, copy_installation
from tests.ports import free_port

pytestmark = pytest.mark.slow


def test_serve_prints_its_address_only_when_it_accepts_connections(
    tmp_path: Path, initialised_data: Path
):
    env = child_env()
    env.update(
        VIGIL_DATA_DIR=str(tmp_path / "data"),
        VIGIL_KEY_SOURCE="keyfile",
        VIGIL_ALLOW_KEYFILE="1",
        VIGIL_SECURE_COOKIES="0",
    )
    vigil = [sys.executable, "-m", "vigil"]
    copy_installation(initialised_data, tmp_path / "data")  # what `vigil init` would make
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [*vigil, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        started = time.monotonic()
        assert server.stdout is not None
        line = server.stdout.readline()  # blocks until the announcement (or the end)
        assert line.startswith(f"Vigil at http://127.0.0.1:{port}/"), line
        assert "listening" in line
        assert time.monotonic() - started < 180
        with socket.socket() as probe:  # the address is live the moment it is announced
            assert probe.connect_ex(("127.0.0.1", port)) == 0
    finally:
        server.kill()
        server.wait(timeout=30)
