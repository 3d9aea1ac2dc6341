"""Fixtures for evidence tests: a fictional source, users per role, an isolated evidence folder."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from vigil.core.context import ChangeContext
from vigil.records.models import Source


class RecordingReader:
    """A generated upload of ``size`` bytes that records every read size asked of it."""

    def __init__(self, size: int, byte: bytes = b"\xa7") -> None:
        self.left = size
        self.byte = byte
        self.sizes: list[int] = []
        self.largest_returned = 0

    def read(self, size: int = -1) -> bytes:
        self.sizes.append(size)
        n = self.left if size is None or size < 0 else min(size, self.left)
        self.left -= n
        self.largest_returned = max(self.largest_returned, n)
        return self.byte * n


def jpeg_with_gps() -> bytes:
    """A small JPEG whose EXIF carries a camera model and GPS coordinates (fictional)."""
    image = Image.new("RGB", (32, 24), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0110] = "Fictional Camera 3000"  # Model
    gps = {1: "N", 2: (53.0, 54.0, 0.0), 3: "E", 4: (27.0, 33.0, 0.0)}
    exif[0x8825] = gps  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture(autouse=True)
def evidence_dir(settings: Any, tmp_path: Path) -> Path:
    """Each test stores files in its own folder."""
    folder = tmp_path / "evidence"
    settings.EVIDENCE_DIR = folder
    return folder


@pytest.fixture
def source(ctx: ChangeContext) -> Source:
    """A saved, visibly fictional source."""
    found = Source(title="Fictional report on a fictional search")
    found.save()
    return found
