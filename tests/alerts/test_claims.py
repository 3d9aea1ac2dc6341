"""Two delivery runs at once never claim the same outbox row (SKIP LOCKED on PostgreSQL,
the IMMEDIATE write lock on SQLite), and together they claim every due row."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from vigil.alerts.delivery import claim
from vigil.alerts.models import Outbox

from .conftest import make_user

ROWS = 60


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_claims_take_disjoint_rows_and_all_of_them():
    user = make_user("fictional-recipient", "viewer", "recipient@example.org")
    now = timezone.now()
    Outbox.objects.bulk_create(
        Outbox(
            channel="email",
            recipient=user,
            payload={},
            dedup_key=f"fictional:{i}",
            due_at=now - timedelta(seconds=1),
        )
        for i in range(ROWS)
    )
    taken: dict[int, list[int]] = {}
    start = threading.Barrier(2)

    def run(n: int) -> None:
        try:
            start.wait()
            for _ in range(ROWS):  # small batches, interleaved with the other run
                _, ids = claim(timezone.now(), limit=5)
                if not ids:
                    break
                taken.setdefault(n, []).extend(ids)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    first, second = taken.get(1, []), taken.get(2, [])
    assert not set(first) & set(second)
    assert sorted(first + second) == sorted(Outbox.objects.values_list("id", flat=True))
    assert len(first + second) == ROWS
