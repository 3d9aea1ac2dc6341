"""The streaming result every reader returns: records one by one, then a summary."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from vigil.sanctions.sources.records import ListedRecord, ReadResult, RowProblem


class Reading:
    """Records of one list file, read lazily; problems and version fill in while iterating.

    Each iteration re-reads the file from the start and resets `problems`. A ListFormatError
    may be raised before the first record (wrong kind of file) or part-way (a truncated
    file); an importer must then write nothing.
    """

    def __init__(self, path: Path, parse: Callable[[Reading], Iterator[ListedRecord]]) -> None:
        self.path = Path(path)
        self.problems: list[RowProblem] = []
        self.source_version: str | None = None
        self.complete = False
        self._parse = parse
        self._seen_ids: set[str] = set()

    def __iter__(self) -> Iterator[ListedRecord]:
        self.problems = []
        self.source_version = None
        self.complete = False
        self._seen_ids = set()
        for record in self._parse(self):
            # The ids alone are kept: small next to the records, and uniqueness is the contract.
            if record.entity_id in self._seen_ids:
                self.problem(record.line, f"duplicate id {record.entity_id!r}; row skipped")
                continue
            self._seen_ids.add(record.entity_id)
            yield record
        self.complete = True

    def problem(self, line: int, reason: str, entity_id: str | None = None) -> None:
        """Note a row or value the reader could not use."""
        self.problems.append(RowProblem(line, reason, entity_id))

    def collect(self) -> ReadResult:
        """Read the whole file into memory."""
        records = list(self)
        return ReadResult(records, list(self.problems), self.source_version)
