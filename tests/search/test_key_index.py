"""The name keys' indexes on PostgreSQL: a prefix lookup reads the form ids from its index,
and the key column keeps short statistics (migration search 0003; docs/benchmarks.md §4,
tenth round). SQLite's key index (key, form) answers lists and ranges alike: nothing to add.
"""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes"),
]


def test_a_prefix_lookup_reads_the_form_ids_from_the_index_alone():
    with connection.cursor() as cursor:
        # The tables are near empty in a test database: keep the planner off the table scans
        # to see which index a prefix lookup can use.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(
            "EXPLAIN SELECT form_id, key FROM search_namekey WHERE key LIKE %s", ["t:алесь%"]
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using search_namekey_key_prefix_form" in plan


def test_the_key_column_keeps_ten_most_common_values_for_the_planner():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstattarget FROM pg_attribute"
            " WHERE attrelid = 'search_namekey'::regclass AND attname = 'key'"
        )
        assert cursor.fetchone()[0] == 10
