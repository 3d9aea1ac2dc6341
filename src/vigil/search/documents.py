"""The write side of full text: which fields of which records are searchable, and folding.

Only plain descriptive fields are listed. Encrypted identity fields (contacts of witnesses and
families) and a source's witness are never indexed, nor free notes, which may name them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.db import transaction

from vigil.core.chunks import chunked
from vigil.records.batch import insert_plain, new_record
from vigil.search.models import TextDocument
from vigil.search.name_index import lock_for_writing

#: Searchable fields per record model; the text of a record is these fields, one per line.
FIELDS: dict[str, tuple[str, ...]] = {
    "records.organisation": ("display_name",),
    "records.organisationname": ("value",),
    "records.event": ("title", "place", "description"),
    "records.act": ("outcome", "sentence_text", "place_text", "description"),
    "records.source": ("title", "publisher", "citation"),
    "records.information": ("quote",),
}
BATCH = 2000
#: The columns a document is made from, read as plain values (no model instances).
_COLUMNS = {label: ("pk", "deleted_at", *fields) for label, fields in FIELDS.items()}
_WORDS = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Case- and accent-folded text, so ё finds е, ў finds у and é finds e on every backend."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def words(text: str) -> list[str]:
    """The folded words of a text, as both full-text engines split them."""
    return _WORDS.findall(fold(text))


def body_of(label: str, obj: Any) -> str:
    """The searchable text of a record; blank when it is deleted or has none."""
    if obj is None:
        return ""
    return _body(getattr(obj, "deleted_at", None), (getattr(obj, f) for f in FIELDS[label]))


def _body(deleted_at: Any, values: Iterable[Any]) -> str:
    """:func:`body_of` from the values read: blank when deleted, else the fields one a line."""
    if deleted_at is not None:
        return ""
    parts = (str(value or "").strip() for value in values)
    return "\n".join(p for p in parts if p)


def index_documents(label: str, ids: Iterable[Any]) -> None:
    """Rewrite the documents of these records of model ``label``."""
    ids = list(ids)
    if not ids or label not in FIELDS:
        return
    model = apps.get_model(label)
    with transaction.atomic():
        # The index's write lock, as for names: a rebuild holding it rewrites the documents
        # too, and must not wait for rows of a save that waits for it.
        lock_for_writing()
        for chunk in chunked(ids, BATCH):
            TextDocument.objects.filter(model=label, object_id__in=chunk).delete()
            _write(label, model.all_objects.filter(pk__in=chunk).values_list(*_COLUMNS[label]))


def rebuild(progress: Callable[[Iterable[Any], int], Iterable[Any]] | None = None) -> int:
    """Drop and rebuild every document; returns the number of documents written."""
    work = []
    for label in FIELDS:
        ids = list(apps.get_model(label).objects.order_by("pk").values_list("pk", flat=True))
        work += [(label, chunk) for chunk in chunked(ids, BATCH)]
    steps: Iterable[tuple[str, list[Any]]] = work
    if progress is not None:
        steps = progress(work, len(work))
    with transaction.atomic():
        TextDocument.objects.all().delete()
        for label, chunk in steps:
            model = apps.get_model(label)
            _write(label, model.objects.filter(pk__in=chunk).values_list(*_COLUMNS[label]))
    return TextDocument.objects.count()


def _write(label: str, rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert the documents of records read as (pk, deleted_at, *fields) rows."""
    docs = []
    for pk, deleted_at, *values in rows:
        body = _body(deleted_at, values)
        if body:
            docs.append(
                new_record(TextDocument, model=label, object_id=pk, body=body, folded=fold(body))
            )
    insert_plain(docs)
