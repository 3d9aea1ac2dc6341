"""Where the demo lives: its own folder under the data directory, with its own key."""

from __future__ import annotations

import os
from pathlib import Path

from vigil.core.demo_folder import MARKER

__all__ = ["MARKER", "demo_dir", "enter_demo_environment"]


def demo_dir(data_dir: Path) -> Path:
    return data_dir / "demo"


def enter_demo_environment() -> Path:
    """Point Vigil at the demo folder before Django starts (the demo never touches real data)."""
    base = Path(os.environ.get("VIGIL_DATA_DIR") or _default_base()).expanduser()
    # VIGIL_DATA_DIR may name the demo folder itself (as `vigil serve` on the demo wants).
    folder = base if (base / MARKER).exists() else demo_dir(base)
    os.environ["VIGIL_DATA_DIR"] = str(folder)
    os.environ["VIGIL_KEYFILE"] = str(folder / "vigil.key")
    os.environ.pop("VIGIL_DATABASE_URL", None)
    os.environ.setdefault("VIGIL_SECURE_COOKIES", "0")
    os.environ["VIGIL_DEMO"] = "1"
    return folder


def _default_base() -> Path:
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "vigil"
