"""A canonical dump of what an import stored, to compare two trees' imports of the same file.

Every column of every record of every model (all but the two timestamps of the write), every
version every reader returns (``history_for``: stored rows and the versions 1 a batch holds;
all columns but the serial id, the time and the context id; the snapshot without its
timestamps), and every stored custody row (all but its serial id); any account's random id
replaced by its username. Printed: the counts and one SHA-256 of it all; ``--out FILE`` writes
the dump itself (one line per row, sorted) to diff when the digests differ.

Run it in the environment of the database to read (``VIGIL_DATA_DIR``, and
``VIGIL_DATABASE_URL`` for PostgreSQL), with the tree to read it by on ``PYTHONPATH``:

    python benchmarks/import_dump.py [--out FILE]

Used by docs/benchmarks.md §2 (issue 14 §3) to show that a faster import stores the same
records and history as the tree it changes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from typing import Any

STAMPS = ("created_at", "updated_at")


def _text(value: Any, users: dict[Any, str]) -> str:
    """An account's id as its username, anything else as its repr."""
    if value is not None and value in users:
        return f"user:{users[value]}"
    return repr(value)


def dump() -> tuple[list[str], dict[str, int]]:
    """The dump's lines and its counts."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigil.settings")
    django.setup()
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.db import connection

    from vigil.core.history import history_for
    from vigil.core.models import VersionBatch, VigilModel
    from vigil.records.models import StoredCustody

    user_model = get_user_model()
    users = {u.pk: u.get_username() for u in user_model.objects.all()}
    users.update({str(pk): name for pk, name in list(users.items())})
    tables = set(connection.introspection.table_names())
    models = sorted(
        (m for m in apps.get_models() if issubclass(m, VigilModel) and m._meta.db_table in tables),
        key=lambda m: m._meta.label_lower,
    )
    lines: list[str] = []
    counts = {"records": 0, "versions": 0, "stored custody": 0}
    for model in models:
        label = model._meta.label_lower
        fields = [f for f in model._meta.concrete_fields if f.attname not in STAMPS]
        account = {f.attname for f in fields if f.is_relation and f.related_model is user_model}
        rows = list(model.all_objects.order_by("pk"))
        for row in rows:
            values = ", ".join(
                f"{f.attname}=" + (_text(v, users) if f.attname in account else repr(v))
                for f in fields
                for v in (getattr(row, f.attname),)
            )
            lines.append(f"record {label} {values}")
        counts["records"] += len(rows)
        for start in range(0, len(rows), 2000):
            for v in history_for(rows[start : start + 2000]):
                snap = {k: v for k, v in v.snapshot.items() if k not in STAMPS}
                for key in account:
                    if snap.get(key) is not None:
                        snap[key] = _text(snap[key], users)
                lines.append(
                    f"version {v.model} {v.object_id} v{v.version} {v.action} {v.context_kind} "
                    f"{v.context_detail!r} {_text(v.actor_id, users)} "
                    f"{json.dumps(snap, sort_keys=True)} {json.dumps(v.changed)}"
                )
                counts["versions"] += 1
    counts["batches"] = 0
    for batch in VersionBatch.objects.all():
        # Its records' ids in write order, its fields; not its time nor its context's id.
        lines.append(
            f"batch {batch.model} {batch.count} {batch.context_kind} {batch.context_detail!r} "
            f"{_text(batch.actor_id, users)} {json.dumps(batch.fields)} "
            f"{hashlib.sha256(bytes(batch.object_ids)).hexdigest()}"
        )
        counts["batches"] += 1
    custody = [f.attname for f in StoredCustody._meta.concrete_fields if f.attname != "id"]
    for values in StoredCustody.objects.values_list(*custody):
        lines.append("custody " + ", ".join(map(repr, values)))
        counts["stored custody"] += 1
    lines.sort()
    return lines, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="write the sorted dump to this file")
    args = parser.parse_args()
    lines, counts = dump()
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
    summary = ", ".join(f"{k} {v:,}" for k, v in counts.items())
    print(f"{summary}; SHA-256 {digest}")


if __name__ == "__main__":
    sys.exit(main())
