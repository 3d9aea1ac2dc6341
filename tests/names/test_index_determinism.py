"""A search gives the same candidates in every process, whatever Python's string hashing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import vigil

# Real names in two scripts (ZUBR's Belarusian Cyrillic, Viasna's Latin): many near-ties.
SCRIPT = r"""
import csv, hashlib, json, sys
from vigil.names import REVIEW_THRESHOLD, NameIndex, NameRecord
data = sys.argv[1]
rows = json.load(open(f"{data}/zubr/admin_decisions.json", encoding="utf-8"))
names = sorted({r["full_name"] for r in rows})
index = NameIndex(NameRecord(str(i), [n]) for i, n in enumerate(names))
found = []
with open(f"{data}/viasna/prisoners_sample.csv", encoding="utf-8") as handle:
    for row in csv.DictReader(handle):
        for c in index.search(row["name"], limit=5, threshold=REVIEW_THRESHOLD):
            found.append((row["name"], c.entity_id, round(c.score, 6)))
print(len(found), hashlib.sha256(repr(found).encode()).hexdigest())
"""


@pytest.mark.slow
def test_search_results_do_not_depend_on_the_process_string_hashing(shared_data: Path):
    src = str(Path(vigil.__file__).parent.parent)
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": src}
        run = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(shared_data)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.add(run.stdout)
    assert len(outputs) == 1, outputs
