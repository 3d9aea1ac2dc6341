"""The streaming result every reader returns: records one by one, then a summary."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import fields
from pathlib import Path

from vigil.core.validation import (
    InputRefused,
    are_checked_names,
    check_iso_birth_date,
    check_name,
)
from vigil.sanctions.sources.records import ListedRecord, NameForm, ReadResult, RowProblem


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
        self._good_births: set[str] = set()

    def __iter__(self) -> Iterator[ListedRecord]:
        self.problems = []
        self.source_version = None
        self.complete = False
        self._seen_ids = seen = set()
        self._good_births = set()
        checked = self._checked
        for parsed in self._parse(self):
            record = checked(parsed)
            if record is None:
                continue
            # The ids alone are kept: small next to the records, and uniqueness is the contract.
            if record.entity_id in seen:
                self.problem(record.line, f"duplicate id {record.entity_id!r}; row skipped")
                continue
            seen.add(record.entity_id)
            yield record
        self.complete = True

    def _checked(self, record: ListedRecord) -> ListedRecord | None:
        """The record through the importers' validation: bad names and birth dates left out.

        A primary name that fails (control characters, blank, over-long) skips the record.
        """
        # Nearly every record passes as it is: its names checked in one pass, each birth date
        # once per reading (lists repeat them); only a misfit goes through the long way.
        good_births = self._good_births
        if are_checked_names([form.value for form in record.names]) and (
            not record.birth_dates
            or all(text in good_births or self._good_birth(text) for text in record.birth_dates)
        ):
            return record
        return self._rechecked(record)

    def _good_birth(self, text: str) -> bool:
        try:
            check_iso_birth_date(text, "birth date")
        except InputRefused:
            return False
        self._good_births.add(text)
        return True

    def _rechecked(self, record: ListedRecord) -> ListedRecord | None:
        """The record with its refused names and birth dates left out, each one reported."""
        names: list[NameForm] = []
        for form in record.names:
            try:
                names.append(NameForm(check_name(form.value, f"{form.kind} name"), form.kind))
            except InputRefused as exc:
                if form.kind == "primary":
                    self.problem(record.line, f"{exc}; row skipped", record.entity_id)
                    return None
                self.problem(record.line, f"{exc}; name left out", record.entity_id)
        births: list[str] = []
        for text in record.birth_dates:
            try:
                births.append(check_iso_birth_date(text, "birth date"))
            except InputRefused as exc:
                self.problem(record.line, f"{exc}; left out", record.entity_id)
        if tuple(names) == record.names and tuple(births) == record.birth_dates:
            return record
        values = {f.name: getattr(record, f.name) for f in fields(record)}
        values.pop("raw_fingerprint")
        values.update(names=tuple(dict.fromkeys(names)), birth_dates=tuple(births))
        return ListedRecord.create(**values)

    def problem(self, line: int, reason: str, entity_id: str | None = None) -> None:
        """Note a row or value the reader could not use."""
        self.problems.append(RowProblem(line, reason, entity_id))

    def collect(self) -> ReadResult:
        """Read the whole file into memory."""
        records = list(self)
        return ReadResult(records, list(self.problems), self.source_version)
