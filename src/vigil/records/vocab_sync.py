"""Keep the Term table equal to the vocabularies shipped in the package."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from vigil.records import vocabularies
from vigil.records.models import Term


def sync_terms() -> int:
    """Insert or update every shipped term (terms are never deleted: records refer to them)."""
    wanted: dict[str, Term] = {}
    parents: dict[str, str] = {}
    for vocab in vocabularies.vocabularies():
        for t in vocabularies.load(vocab).values():
            pk = Term.pk_for(vocab, t.key)
            wanted[pk] = Term(
                id=pk,
                vocabulary=vocab,
                key=t.key,
                code=t.code,
                label_en=t.label_en,
                label_ru=t.label_ru,
                label_be=t.label_be,
                be_reviewed=t.be_reviewed,
                source=t.source,
            )
            if t.parent:
                parents[pk] = Term.pk_for(vocab, t.parent)
    fields = [
        "vocabulary",
        "key",
        "code",
        "label_en",
        "label_ru",
        "label_be",
        "be_reviewed",
        "source",
    ]
    with transaction.atomic():
        existing = {t.pk: t for t in Term.objects.all()}
        new = [t for pk, t in wanted.items() if pk not in existing]
        Term.objects.bulk_create(new)
        changed = [
            t
            for pk, t in wanted.items()
            if pk in existing and any(getattr(existing[pk], f) != getattr(t, f) for f in fields)
        ]
        Term.objects.bulk_update(changed, fields)
        for pk, parent in parents.items():
            Term.objects.filter(pk=pk).exclude(parent_id=parent).update(parent_id=parent)
    return len(new) + len(changed)


def sync_after_migrate(sender: Any, **kwargs: Any) -> None:
    """post_migrate hook: vocabularies follow the code without a migration per term."""
    sync_terms()
