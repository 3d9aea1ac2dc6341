"""What the database does with the SQL a search really sends: the statements captured as the
search runs (``captured``), each explained with its own parameters (``reads``), and the reads
that do not look rows up by an index (``full_scans``).

SQLite: ``EXPLAIN QUERY PLAN`` (``SCAN t`` walks the whole table or one of its indexes, ``SEARCH
t USING … (…)`` looks rows up; an automatic index is built by a full scan). PostgreSQL:
``EXPLAIN (FORMAT JSON)``, the plan made for the statement's own values (a sequential scan reads
the whole table; an index scan with no index condition walks the whole index).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection


@dataclass(frozen=True)
class Statement:
    """One statement as the search sent it: Django's SQL and its parameters."""

    sql: str
    params: Any


@dataclass(frozen=True)
class Read:
    """One read of a table in a statement's plan: the table, the index it goes through (None:
    the table itself), whether it reads every row (``full``), and the plan's own words."""

    table: str
    index: str | None
    full: bool
    detail: str


@contextmanager
def captured() -> Iterator[list[Statement]]:
    """The statements run on the default connection inside the block, as sent (not re-typed)."""
    statements: list[Statement] = []

    def keep(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if not many:
            statements.append(Statement(sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        yield statements


def selects(statements: list[Statement]) -> list[Statement]:
    """The reads among ``statements`` (not savepoints, settings or writes), each once."""
    found: dict[str, Statement] = {}
    for statement in statements:
        head = statement.sql.lstrip().split(None, 1)[0].upper()
        if head in ("SELECT", "WITH"):
            found.setdefault(f"{statement.sql}\x00{statement.params!r}", statement)
    return list(found.values())


def reads(statement: Statement) -> list[Read]:
    """Every read of a stored table in the plan the database makes for ``statement``."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (FORMAT JSON) {statement.sql}", statement.params)
            plan = cursor.fetchone()[0]
            if isinstance(plan, str):
                plan = json.loads(plan)
            return list(_pg_reads(plan[0]["Plan"]))
        cursor.execute(f"EXPLAIN QUERY PLAN {statement.sql}", statement.params)
        details = [str(row[-1]) for row in cursor.fetchall()]
    tables, indexes = _sqlite_schema()
    aliases = _aliases(statement.sql, tables)
    return [read for detail in details for read in _sqlite_reads(detail, tables, indexes, aliases)]


def full_scans(statements: list[Statement], tables: set[str]) -> list[tuple[Read, str]]:
    """The reads of any of ``tables`` that go through every row (or every index entry), with
    the statement's SQL, among the plans of ``statements``' reads."""
    found = []
    for statement in selects(statements):
        for read in reads(statement):
            if read.full and read.table in tables:
                found.append((read, statement.sql))
    return found


def indexes_read(statements: list[Statement], table: str) -> set[str | None]:
    """The indexes through which ``statements``' plans read ``table`` (None: the table)."""
    return {
        read.index
        for statement in selects(statements)
        for read in reads(statement)
        if read.table == table
    }


_PG_SCANS = {"Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan", "Tid Scan"}


def _pg_reads(node: dict[str, Any]) -> Iterator[Read]:
    kind = node.get("Node Type", "")
    if kind in _PG_SCANS and "Relation Name" in node:
        index = node.get("Index Name")
        if kind == "Bitmap Heap Scan":
            names = [n.get("Index Name") for n in _walk(node) if n.get("Index Name")]
            index = ",".join(names) or None
        # An index walked whole (no condition on its columns) reads every entry.
        full = kind == "Seq Scan" or (
            kind in ("Index Scan", "Index Only Scan") and "Index Cond" not in node
        )
        yield Read(node["Relation Name"], index, full, json.dumps(node, default=str)[:300])
    for child in node.get("Plans", []):
        yield from _pg_reads(child)


def _walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from _walk(child)


_SQLITE_READ = re.compile(r"^(SCAN|SEARCH) (\S+)(?: AS (\S+))?(?: (.*))?$")
_SQLITE_INDEX = re.compile(r"USING (?:COVERING |AUTOMATIC (?:COVERING |PARTIAL )*)?INDEX (\S+)")


def _sqlite_reads(
    detail: str, tables: set[str], indexes: dict[str, str], aliases: dict[str, set[str]]
) -> list[Read]:
    """The read of one line of SQLite's plan: of the table its index belongs to, else of each
    table its name may stand for (an alias Django gives subqueries, ``U0``, may name different
    tables in one statement)."""
    match = _SQLITE_READ.match(detail.strip())
    if match is None or "VIRTUAL TABLE" in detail:
        return []  # not a read, or json_each, FTS5's own index
    kind, name, alias, rest = match.groups()
    rest = rest or ""
    named = aliases.get(alias or name) or ({name} & tables)
    if "PRIMARY KEY" in rest:
        index: str | None = "PRIMARY KEY"
    else:
        found = _SQLITE_INDEX.search(rest)
        index = found.group(1) if found else None
    if index in indexes and indexes[index] in named:
        named = {indexes[index]}
    # An automatic index is built from a scan of the whole table, on every execution.
    full = kind == "SCAN" or "AUTOMATIC" in rest
    # Not a stored table (a common table expression, a subquery): nothing here.
    return [Read(table, index, full, detail) for table in sorted(named)]


def _sqlite_schema() -> tuple[set[str], dict[str, str]]:
    """The stored tables, and each index's table by the index's name."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name, tbl_name FROM sqlite_master")
        rows = cursor.fetchall()
    tables = {name for kind, name, _ in rows if kind == "table"}
    return tables, {name: table for kind, name, table in rows if kind == "index"}


def _aliases(sql: str, tables: set[str]) -> dict[str, set[str]]:
    """The statement's aliases of tables (``"records_person" U0``, ``search_textdocument d``)."""
    found: dict[str, set[str]] = {}
    pairs = re.finditer(r'(?="?(\w+)"?\s+(?:AS\s+)?"?(\w+)"?)', sql)
    for table, alias in (m.groups() for m in pairs):
        if table in tables and alias not in tables and alias.upper() not in _WORDS:
            found.setdefault(alias, set()).add(table)
    return found


_WORDS = {
    *"WHERE JOIN ON INNER LEFT OUTER CROSS ORDER GROUP HAVING LIMIT OFFSET UNION ALL".split(),
    *"EXCEPT INTERSECT AND OR NOT IN IS AS SELECT FROM WITH SET VALUES USING NATURAL".split(),
}
