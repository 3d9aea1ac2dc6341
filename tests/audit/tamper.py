"""What an attacker with write access to the database does, done with raw SQL."""

from __future__ import annotations

from django.db import connection

from vigil.audit.chain import GENESIS, entry_leaf
from vigil.audit.merkle import frontier_append
from vigil.audit.models import AuditEntry
from vigil.audit.signing import seal


def sql(statement: str, params: list | None = None) -> None:
    """Run raw SQL, bypassing the append-only model."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def rehash_everything(*, with_key: bool = True) -> None:
    """Recompute every entry hash, link and the head, as a careful forger would.

    ``with_key``: the forger also holds the signing key on the same disk and re-seals each
    entry; without it (database access only) the seals are left as they were.
    """
    prev, frontier = GENESIS, []
    for size, entry in enumerate(AuditEntry.objects.order_by("seq")):
        entry.seq = size + 1
        entry.prev_hash = prev
        new_hash = entry.computed_hash()
        new_seal = seal(new_hash) if with_key else entry.seal
        sql(
            "UPDATE audit_auditentry SET seq = %s, prev_hash = %s, entry_hash = %s, seal = %s "
            "WHERE entry_hash = %s",
            [entry.seq, prev, new_hash, new_seal, entry.entry_hash],
        )
        frontier = frontier_append(frontier, size, entry_leaf(new_hash))
        prev = new_hash
    count = AuditEntry.objects.count()
    sql(
        "UPDATE audit_audithead SET size = %s, head_hash = %s, frontier = %s WHERE id = 1",
        [count, prev, "[" + ",".join(f'"{h.hex()}"' for h in frontier) + "]"],
    )
