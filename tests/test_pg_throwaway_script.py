"""scripts/pg-throwaway never takes over another cluster's folder: a standby asked for on a port
whose folder holds a cluster that is not a standby (a benchmark's database left there) is
refused, and the folder is left as it was. (A CI run once started such a folder as the tests'
standby, read nothing from it and deleted it at the end.)"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

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
