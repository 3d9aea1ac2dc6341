"""What marks a data folder as the demo's: the file `vigil demo` writes, or VIGIL_DEMO=1.

Pure (no Django): settings read it before Django starts, serving relaxes the plain-HTTP
checks on loopback for it, and :mod:`vigil.demo` writes and checks the marker.
"""

from __future__ import annotations

import os
from pathlib import Path

MARKER = ".vigil-demo"


def is_demo(data_dir: Path) -> bool:
    """Whether ``data_dir`` holds the demo database (`vigil demo`'s folder, or VIGIL_DEMO=1)."""
    return os.environ.get("VIGIL_DEMO") == "1" or (Path(data_dir) / MARKER).exists()
