"""The read side of full text: FTS5 on SQLite, tsvector/tsquery on PostgreSQL, same answers.

Both engines see the same folded text and the same query: every word, as a prefix, must occur.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import connection

from vigil.search.documents import words

#: Documents read per query at most, best first (the policy then cuts them).
DOCUMENT_CAP = 1000
#: Query words used (a pasted paragraph is not a search).
MAX_WORDS = 12

_SQLITE = (
    "SELECT d.model, d.object_id, d.body FROM search_textdocument_fts f "
    "JOIN search_textdocument d ON d.id = f.rowid "
    "WHERE search_textdocument_fts MATCH %s ORDER BY f.rank, d.id LIMIT %s"
)
_POSTGRES = (
    "SELECT model, object_id, body FROM search_textdocument "
    "WHERE to_tsvector('simple'::regconfig, folded) @@ to_tsquery('simple'::regconfig, %s) "
    "ORDER BY ts_rank(to_tsvector('simple'::regconfig, folded), "
    "to_tsquery('simple'::regconfig, %s)) DESC, id LIMIT %s"
)


@dataclass(frozen=True)
class Document:
    """A record whose text matched: its model, id and the text itself."""

    model: str
    object_id: Any
    body: str


def query_words(query: str) -> list[str]:
    """The folded words of a query that the engines look up."""
    return list(dict.fromkeys(words(query)))[:MAX_WORDS]


def matching_documents(query: str, limit: int = DOCUMENT_CAP) -> list[Document]:
    """Documents containing every word of ``query`` (each as a word prefix), best first."""
    terms = query_words(query)
    if not terms:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tsquery = " & ".join(f"'{t}':*" for t in terms)  # words hold no quote
            cursor.execute(_POSTGRES, [tsquery, tsquery, limit])
        else:
            match = " ".join(f'"{t}"*' for t in terms)
            cursor.execute(_SQLITE, [match, limit])
        rows = cursor.fetchall()
    return [Document(model, _uuid(object_id), body) for model, object_id, body in rows]


def _uuid(value: Any) -> Any:
    """A UUID from either backend's column (SQLite stores it as 32 hex digits)."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
