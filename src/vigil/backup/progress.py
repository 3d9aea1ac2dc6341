"""A progress bar on the terminal for long backup work (silent when not on a terminal)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sized
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


def progress(items: Iterable[T], *, desc: str, unit: str = "item") -> Iterator[T]:
    """``items``, drawing a bar on standard error when it is a terminal."""
    total = len(items) if isinstance(items, Sized) else None
    yield from tqdm(items, total=total, desc=desc, unit=unit, disable=None, leave=False)
