"""Rebuilding the whole index from the record, for existing databases and after bulk imports."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from vigil.search import documents, name_index, sync

Progress = Callable[[Iterable[Any], int], Iterable[Any]]


@dataclass(frozen=True)
class RebuildReport:
    """What a rebuild wrote."""

    persons: int
    documents: int


def rebuild_all(progress: Progress | None = None) -> RebuildReport:
    """Rebuild the name index and the text documents in one transaction, then mark them current."""
    with transaction.atomic():
        newest = sync.newest_history()
        persons = name_index.rebuild(progress)
        written = documents.rebuild(progress)
        sync.set_watermark(newest)
    return RebuildReport(persons, written)
