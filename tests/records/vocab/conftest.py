"""Fixtures for the vocabulary tests: the build script, which lives outside the package."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "build_vocab.py"


@pytest.fixture(scope="session")
def build_vocab() -> ModuleType:
    """scripts/build_vocab.py imported as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("build_vocab", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the class is created
    sys.modules.setdefault("build_vocab", module)
    spec.loader.exec_module(module)
    return module
