"""Importing sanctions lists: `vigil sanctions import KIND FILE`.

A list is known by its KIND name unless given another. Re-importing a newer version updates
entries in place (by the list's own identifier), marks entries no longer present as removed,
and records what was added, changed and removed. The import is atomic; a file of the wrong
kind or a truncated file writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from vigil.core.errors import ImportFailed, ValidationFailed
from vigil.records.batch import bulk_cache, insert_plain, new_record
from vigil.sanctions.entity_rows import EntityWriter
from vigil.sanctions.models import ListChange, SanctionsList
from vigil.sanctions.sources.eu_765 import read_eu_765
from vigil.sanctions.sources.ftm_lines import read_ftm
from vigil.sanctions.sources.ofac_sdn import read_ofac_sdn
from vigil.sanctions.sources.reading import Reading
from vigil.sanctions.sources.records import ListedRecord, ListFormatError
from vigil.sanctions.sources.un_xml import read_un


@dataclass(frozen=True)
class ListKind:
    reader: Callable[[Path], Reading]
    issuer: str
    programme: str


KINDS: dict[str, ListKind] = {
    "eu-765": ListKind(read_eu_765, "EU", "Council Regulation (EC) No 765/2006 (Belarus)"),
    "ofac-sdn": ListKind(read_ofac_sdn, "US", "OFAC Specially Designated Nationals"),
    "un": ListKind(read_un, "UN", "UN Security Council consolidated list"),
    "ftm": ListKind(read_ftm, "FollowTheMoney", "FollowTheMoney entities"),
}


@dataclass
class ListImportReport:
    name: str
    kind: str
    version: str
    read: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)
    first_import: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}


def _parse_version(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def import_list(
    kind: str,
    path: Path,
    *,
    name: str | None = None,
    version_date: dt.date | None = None,
    partial: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ListImportReport:
    """Import (or update) one sanctions list from ``path``."""
    if kind not in KINDS:
        raise ValidationFailed(f"unknown list kind {kind!r}; expected one of {', '.join(KINDS)}")
    if not Path(path).is_file():
        raise ImportFailed(f"{path}: no such file")
    spec = KINDS[kind]
    name = name or kind
    reading = spec.reader(Path(path))
    now = timezone.now()
    with bulk_cache(), transaction.atomic():
        lst, created = SanctionsList.objects.select_for_update().get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "issuer": spec.issuer,
                "programme": spec.programme,
                "imported_at": now,
            },
        )
        if lst.kind != kind:
            raise ValidationFailed(
                f"the list {name!r} was imported as {lst.kind}, not {kind}; use --name"
            )
        existing = {
            eid: (pk, fp, active)
            for eid, pk, fp, active in lst.entities.values_list(
                "entity_id", "pk", "fingerprint", "active"
            )
        }
        report = ListImportReport(name=name, kind=kind, version="", first_import=created)
        writer = EntityWriter(lst.pk, version_date)
        changes: list[ListChange] = []
        seen: set[str] = set()
        try:
            for record in reading:
                report.read += 1
                if progress:
                    progress(1)
                seen.add(record.entity_id)
                known = existing.get(record.entity_id)
                if known is None:
                    writer.add(record)
                    report.added += 1
                    if not created:
                        changes.append(_change(lst, now, version_date, record, "added"))
                elif known[1] != record.raw_fingerprint or not known[2]:
                    # Unchanged entities (the same fingerprint, still listed) are left alone.
                    writer.change(known[0], record)
                    report.changed += 1
                    changes.append(_change(lst, now, version_date, record, "changed"))
                else:
                    report.unchanged += 1
        except ListFormatError as exc:
            raise ImportFailed(f"{Path(path).name}: {exc}", _problems(exc)) from None
        report.problems = [(p.line, p.reason) for p in reading.problems]
        if report.problems and not partial:
            raise ImportFailed(
                f"{Path(path).name}: {len(report.problems)} entries could not be read; "
                "nothing was imported (use --partial to import the rest).",
                report.problems,
            )
        if report.read == 0:
            raise ImportFailed(f"{Path(path).name}: no entries found; nothing was imported")
        writer.finish()
        version = version_date or _parse_version(reading.source_version)
        gone = [eid for eid, (_, _, active) in existing.items() if active and eid not in seen]
        label = version.isoformat() if version else now.date().isoformat()
        if gone:
            lst.entities.filter(entity_id__in=gone).update(active=False, removed_in=label)
            for eid in gone:
                changes.append(
                    new_record(
                        ListChange,
                        sanctions_list=lst,
                        at=now,
                        version_date=version,
                        entity_id=eid,
                        change="removed",
                        caption="",
                    )
                )
        report.removed = len(gone)
        insert_plain(changes)
        lst.version_date = version
        lst.source_version = (reading.source_version or "")[:100]
        lst.source_file = Path(path).name
        lst.imported_at = now
        lst.entity_count = lst.entities.filter(active=True).count()
        lst.save()
        report.version = lst.version_label
    return report


def _change(
    lst: SanctionsList, now: Any, version: dt.date | None, record: ListedRecord, change: str
) -> ListChange:
    return new_record(
        ListChange,
        sanctions_list=lst,
        at=now,
        version_date=version,
        entity_id=record.entity_id,
        change=change,
        caption=record.primary_name[:500],
    )


def _problems(exc: ListFormatError) -> list[tuple[int, str]]:
    line = getattr(exc, "line", 0) or 0
    return [(line, getattr(exc, "reason", str(exc)))]
