"""Requirement 13 in the demo: its own database allows more exports; nothing else does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

READ = "from django.conf import settings; print(settings.VIGIL_EXPORT_QUOTA)"


def _quota(data_dir: Path, **env: str) -> int:
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(data_dir),
        "VIGIL_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "vigil.settings",
        **({"PYTHONPATH": os.environ["PYTHONPATH"]} if os.environ.get("PYTHONPATH") else {}),
        **env,
    }
    run = subprocess.run(
        [sys.executable, "-c", READ], env=environment, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    return int(run.stdout.strip())


def test_req13_the_demo_database_alone_allows_more_exports(tmp_path: Path) -> None:
    real, demo = tmp_path / "real", tmp_path / "demo"
    real.mkdir()
    demo.mkdir()
    (demo / ".vigil-demo").write_text("created by vigil demo\n")
    assert _quota(real) == 5
    assert _quota(demo) == 100
    assert _quota(real, VIGIL_DEMO="1") == 100
    assert _quota(demo, VIGIL_EXPORT_QUOTA="3") == 3
    assert _quota(real, VIGIL_EXPORT_QUOTA="12") == 12
