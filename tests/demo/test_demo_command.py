import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import shared_data_dir

pytestmark = pytest.mark.slow


def _vigil(*args: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(data_dir),
        "VIGIL_DATA_DIR": str(data_dir),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "vigil", *args], env=environment, capture_output=True, text=True,
        timeout=600,
    )


def test_demo_builds_an_encrypted_database_with_seed_facts_and_shipped_ofac_entries(tmp_path):
    sample = shared_data_dir()
    env = {"VIGIL_SAMPLE_DATA": str(sample)} if sample else {"VIGIL_SAMPLE_DATA": "/nonexistent"}
    run = _vigil("demo", "--no-serve", "--synthetic", "20", data_dir=tmp_path, **env)
    assert run.returncode == 0, run.stderr
    assert "password:" in run.stdout and "user:     demo" in run.stdout
    # Built, not served: no "Log in at" an address nothing listens on; the way to serve it.
    assert "Log in at" not in run.stdout
    assert f"VIGIL_DATA_DIR={tmp_path / 'demo'} vigil serve" in run.stdout
    assert "OFAC SDN, BELARUS programme: 59 entries" in run.stdout
    assert "seed articles" in run.stdout
    # The early-warning, protection and alerts scenario is loaded and said to be fictional.
    assert "fictional at-risk scenario (synthetic, not real persons)" in run.stdout
    assert "protection case P-0001" in run.stdout
    demo = tmp_path / "demo"
    assert (demo / "vigil.db").read_bytes()[:16] != b"SQLite format 3\x00"
    stats = _vigil("stats", "--json", "--as", "demo", data_dir=demo)
    assert stats.returncode == 0, stats.stderr
    counts = json.loads(stats.stdout)
    assert counts["persons_synthetic"] >= 20  # victims, plus their synthetic judges
    assert counts["statistics"] >= 2
    if sample:
        assert "Viasna sample: 285 rows" in run.stdout
        assert counts["persons"] > 400
    else:
        assert "skipped  Viasna sample" in run.stdout


def test_demo_refuses_a_folder_it_did_not_create(tmp_path):
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "precious.txt").write_text("not the demo's")
    run = _vigil("demo", "--no-serve", data_dir=tmp_path)
    assert run.returncode == 2
    assert "refusing to touch it" in run.stderr
    assert (tmp_path / "demo" / "precious.txt").exists()
