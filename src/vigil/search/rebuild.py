"""Rebuilding the whole index from the record, for existing databases and after bulk imports."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from vigil.records.batch import bulk_cache
from vigil.search import documents, name_index, sync

Progress = Callable[[Iterable[Any], int], Iterable[Any]]


@dataclass(frozen=True)
class RebuildReport:
    """What a rebuild wrote."""

    persons: int
    documents: int


def rebuild_all(progress: Progress | None = None) -> RebuildReport:
    """Rebuild the name index and the text documents in one transaction, then mark them current.

    On SQLite the transaction runs with the bulk writers' larger page cache (it writes some
    400,000 rows at 20,000 persons; spilling the everyday cache re-read and decrypted the same
    pages), and the planner's statistics are refreshed after it, so searches on this
    connection plan on the index's new size. On PostgreSQL it first takes the index's rebuild
    lock (``name_index.lock_for_rebuild``): saves that write index rows wait for it, and it
    for them, so none interleaves with it.
    """
    with bulk_cache(), transaction.atomic():
        name_index.lock_for_rebuild()
        # Read before the records: every history row of a transaction older than the horizon
        # is visible to the reads that follow; a row of a later one below these ids (a bulk
        # write still open) is replayed by a later catch-up once it commits.
        horizon = sync.horizon()
        newest, batch = sync.newest_history(), sync.newest_batch()
        persons = name_index.rebuild(progress)
        written = documents.rebuild(progress)
        sync.mark_current(newest, batch, horizon)
    return RebuildReport(persons, written)
