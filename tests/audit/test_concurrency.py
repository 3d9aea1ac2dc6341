"""Appends from several connections at once keep one unbroken chain."""

import threading

import pytest
from django.db import connection

from vigil.audit import audit
from vigil.audit.models import AuditEntry
from vigil.audit.verify import verify_log

THREADS, EACH = 4, 8


@pytest.mark.django_db(transaction=True)
def test_req16_concurrent_appends_from_threads_do_not_fork_the_chain():
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def append() -> None:
        try:
            start.wait()
            for i in range(EACH):
                audit("login", count=i)
        except BaseException as exc:  # reported to the main thread below
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection

    workers = [threading.Thread(target=append) for _ in range(THREADS)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    assert list(AuditEntry.objects.values_list("seq", flat=True)) == list(
        range(1, THREADS * EACH + 1)
    )
    assert verify_log().size == THREADS * EACH
