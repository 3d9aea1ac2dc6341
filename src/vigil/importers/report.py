"""What an import did: the report every importer returns (rows, problems, records written)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vigil.importers.rows import RowProblem
from vigil.records.upsert import UpsertReport


@dataclass
class ImportReport:
    """What an import did: rows read, imported, reported; records created/updated."""

    path: str
    rows: int = 0
    imported: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    upsert: UpsertReport = field(default_factory=UpsertReport)
    unit: str = "line"  # what a problem's number counts: the file's lines, or its records
    # Rows imported with a value kept verbatim that a person must check ("needs review").
    review: list[RowProblem] = field(default_factory=list)
    # Rows whose id was recorded before with another page (line, id, old URL, new URL).
    url_changes: list[tuple[int, str, str, str]] = field(default_factory=list)
    # Persons whose primary name changed: the old name is kept as an alias.
    renamed: int = 0
    # Perpetrators screened against the loaded sanctions lists after the import.
    screened: int = 0

    def notes(self) -> list[str]:
        """Lines of the summary particular to a format (none here)."""
        return []

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "rows": self.rows,
            "imported": self.imported,
            "rejected": len(self.problems),
            "problems": [{self.unit: p.line, "reason": p.reason} for p in self.problems],
            "created": dict(self.upsert.created),
            "updated": dict(self.upsert.updated),
            "unchanged": self.upsert.total("unchanged"),
            "needs_review": [{self.unit: p.line, "reason": p.reason} for p in self.review],
            "url_changes": [
                {"line": line, "id": rid, "old": old, "new": new}
                for line, rid, old, new in self.url_changes
            ],
            "renamed": self.renamed,
            "screened": self.screened,
        }
