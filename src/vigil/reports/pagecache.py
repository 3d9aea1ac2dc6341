"""A larger SQLite page cache while a report scans the record, restored afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

REPORT_CACHE_MIB = 256


@contextmanager
def page_cache(mib: int = REPORT_CACHE_MIB) -> Iterator[None]:
    """Keep up to ``mib`` MiB of decrypted pages while the report's queries rescan the acts.

    With SQLCipher every page read from disk is decrypted again; the figures read the same
    tables several times, and the default cache cannot hold them.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {-int(mib) * 1024}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {before}")
