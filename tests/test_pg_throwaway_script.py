"""scripts/pg-throwaway never takes over another cluster's folder: a standby asked for on a port
whose folder holds a cluster that is not a standby (a benchmark's database left there) is
refused, and the folder is left as it was. (A CI run once started such a folder as the tests'
standby, read nothing from it and deleted it at the end.)"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.ports import free_port

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "pg-throwaway"


def test_a_standby_is_refused_on_a_folder_holding_another_cluster(tmp_path):
    data = tmp_path / "vigil-pg-55999" / "data"
    data.mkdir(parents=True)
    (data / "PG_VERSION").write_text("15\n")
    (data / "base").mkdir()
    done = subprocess.run(  # noqa: S603 - fixed argv
        [str(SCRIPT), "standby", "55998", "55999"],
        env={**os.environ, "VIGIL_PG_ROOT": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 4, done.stderr
    assert "not a standby" in done.stderr
    assert sorted(p.name for p in data.iterdir()) == ["PG_VERSION", "base"]


def _script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed argv
        [str(SCRIPT), *args],
        env={**os.environ, "VIGIL_PG_FAST": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _answers(port: int) -> bool:
    import psycopg

    try:
        with psycopg.connect(f"postgresql://vigil@127.0.0.1:{port}/vigil", connect_timeout=3) as c:
            return c.execute("SELECT 1").fetchone() == (1,)
    except psycopg.OperationalError:
        return False


@pytest.mark.slow  # a cluster made, stopped and started again: ~3 s
def test_a_halted_cluster_resumes_on_its_own_port():
    # A cluster `start` made holds its port on the command line, not in its configuration:
    # `resume` once started it on PostgreSQL's default port instead (a benchmark's cluster).
    port = free_port()
    while (Path("/tmp") / f"vigil-pg-{port}").exists():  # noqa: S108 - the script's default root
        port = free_port()
    started = _script("start", str(port))
    if started.returncode == 3:
        pytest.skip("PostgreSQL server binaries not installed here (CI installs them)")
    try:
        assert started.returncode == 0, started.stderr
        assert _answers(port)
        assert _script("halt", str(port)).returncode == 0
        assert not _answers(port)
        resumed = _script("resume", str(port))
        assert resumed.returncode == 0, resumed.stderr
        assert _answers(port)
    finally:
        _script("stop", str(port))
    assert not (Path("/tmp") / f"vigil-pg-{port}").exists()  # noqa: S108
