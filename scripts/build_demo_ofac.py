"""Extract the BELARUS-programme entries of the OFAC SDN legacy CSV (public domain) for the demo.

Usage: python scripts/build_demo_ofac.py ../shared/data/ofac src/vigil/demo/data/ofac_belarus
Writes sdn.csv, alt.csv and add.csv in the same legacy format (CRLF rows, Ctrl-Z last line),
keeping only the rows of entries whose programme list names BELARUS.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

END = "\x1a"


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="latin-1", newline="") as handle:
        return [row for row in csv.reader(handle) if row and row[0] != END]


def main(source: Path, target: Path) -> None:
    sdn = [r for r in _rows(source / "sdn.csv") if "BELARUS" in r[3]]
    keep = {r[0] for r in sdn}
    target.mkdir(parents=True, exist_ok=True)
    for name, rows in (
        ("sdn.csv", sdn),
        ("alt.csv", [r for r in _rows(source / "alt.csv") if r[0] in keep]),
        ("add.csv", [r for r in _rows(source / "add.csv") if r[0] in keep]),
    ):
        with (target / name).open("w", encoding="latin-1", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            for row in rows:
                writer.writerow(row)
            handle.write(END)
        print(f"{name}: {len(rows)} rows")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
