"""Long key lists in slices a statement can take: the one chunking helper.

A ``pk IN (…)`` of tens of thousands of keys passes SQLite's bound-parameter limit and makes
PostgreSQL plans slow, so the code that reads by key reads ``chunked(keys, size)`` at a time.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar, overload

T = TypeVar("T")


@overload
def chunked(items: str, size: int) -> Iterator[str]: ...
@overload
def chunked(items: bytes, size: int) -> Iterator[bytes]: ...
@overload
def chunked(items: list[T], size: int) -> Iterator[list[T]]: ...
@overload
def chunked(items: tuple[T, ...], size: int) -> Iterator[tuple[T, ...]]: ...
@overload
def chunked(items: Sequence[T], size: int) -> Iterator[Sequence[T]]: ...
def chunked(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Consecutive slices of ``items`` of ``size`` (the last may be shorter), in order; none
    when ``items`` is empty. A slice has the type of ``items`` (a list gives lists, bytes give
    bytes)."""
    if size < 1:
        raise ValueError(f"chunk size must be at least 1, not {size}")
    for start in range(0, len(items), size):
        yield items[start : start + size]
