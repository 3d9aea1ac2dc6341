"""Reader for the UN Security Council consolidated list (XML), streamed and defused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from vigil.sanctions.sources.dates import UN_FORMATS, parse_date, year_range
from vigil.sanctions.sources.reading import Reading
from vigil.sanctions.sources.records import (
    ListedRecord,
    ListFormatError,
    NameForm,
    clean_text,
    unique,
)

LIST_KIND = "un"
ROOT_TAG = "CONSOLIDATED_LIST"
RECORD_TAGS = {"INDIVIDUAL": "Person", "ENTITY": "LegalEntity"}
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
ALIAS_KINDS = {"good": "alias", "a.k.a.": "alias", "low": "weak_alias", "f.k.a.": "previous"}
CHUNK_BYTES = 64 * 1024


def read_un(path: Path) -> Reading:
    """Individuals and entities of the UN consolidated list; version = `dateGenerated`."""
    return Reading(path, _parse)


class _RecordCollector:
    """Parser target that builds one small tree per INDIVIDUAL/ENTITY and drops the rest."""

    def __init__(self) -> None:
        self.parser: DefusedXMLParser | None = None
        self.root_seen = False
        self.version: str | None = None
        self.done: list[tuple[int, Element]] = []
        self._builder: TreeBuilder | None = None
        self._line = 0
        self._depth = 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        """Open an element; records begin a fresh builder, with their line noted."""
        if not self.root_seen:
            if tag != ROOT_TAG:
                raise ListFormatError(self.current_line(), f"not a UN list: root is <{tag}>")
            self.root_seen = True
            self.version = attrib.get("dateGenerated")
            return
        if self._builder is None and tag in RECORD_TAGS:
            self._builder = TreeBuilder()
            self._line = self.current_line()
        if self._builder is not None:
            self._depth += 1
            self._builder.start(tag, attrib)

    def end(self, tag: str) -> None:
        """Close an element; a closed record is handed over and forgotten."""
        if self._builder is None:
            return
        self._builder.end(tag)
        self._depth -= 1
        if self._depth == 0:
            self.done.append((self._line, self._builder.close()))
            self._builder = None

    def data(self, text: str) -> None:
        """Text inside a record (text elsewhere is ignored)."""
        if self._builder is not None:
            self._builder.data(text)

    def close(self) -> None:
        """Nothing to return: records are taken from `done`."""

    def current_line(self) -> int:
        """The line the parser is at (1 before it starts)."""
        return self.parser.parser.CurrentLineNumber if self.parser else 1


def _parse(reading: Reading) -> Iterator[ListedRecord]:
    """Feed the file in chunks, yielding each record as soon as it closes."""
    collector = _RecordCollector()
    parser = DefusedXMLParser(target=collector, forbid_dtd=True)
    collector.parser = parser
    with reading.path.open("rb") as handle:
        while True:
            chunk = handle.read(CHUNK_BYTES)
            try:
                if chunk:
                    parser.feed(chunk)
                else:
                    parser.close()
            except ParseError as error:
                line = error.position[0] if error.position else 0
                raise ListFormatError(line, f"not readable XML ({error.msg})") from None
            except DefusedXmlException as error:
                raise ListFormatError(
                    collector.current_line(), f"unsafe XML refused ({type(error).__name__})"
                ) from None
            reading.source_version = collector.version
            for line, element in collector.done:
                record = _record(reading, element, line)
                if record is not None:
                    yield record
            collector.done.clear()
            if not chunk:
                break
    if not collector.root_seen:
        raise ListFormatError(1, "not a UN list: no root element")


def _record(reading: Reading, element: Element, line: int) -> ListedRecord | None:
    """One INDIVIDUAL or ENTITY as a record, or None (with a problem noted)."""
    entity_id = _text(element, "DATAID")
    if not entity_id:
        reading.problem(line, f"<{element.tag}> without DATAID; skipped")
        return None
    primary = clean_text(" ".join(_text(element, part) for part in NAME_PARTS))
    if not primary:
        reading.problem(line, "no name; skipped", entity_id)
        return None
    names = [NameForm(primary, "primary")]
    original = _text(element, "NAME_ORIGINAL_SCRIPT")
    if original:
        names.append(NameForm(original, "alias"))
    for alias in element.findall(f"{element.tag}_ALIAS"):
        value = _text(alias, "ALIAS_NAME")
        if value:
            kind = ALIAS_KINDS.get(_text(alias, "QUALITY").lower(), "alias")
            names.append(NameForm(value, kind))
    listing_date = None
    if _text(element, "LISTED_ON"):
        listing_date = parse_date(_text(element, "LISTED_ON"), UN_FORMATS)
    gender = _text(element, "GENDER").lower()
    return ListedRecord.create(
        list_kind=LIST_KIND,
        entity_id=entity_id,
        schema=RECORD_TAGS[element.tag],
        names=tuple(dict.fromkeys(names)),
        birth_dates=unique(_birth_dates(reading, element, line, entity_id)),
        birth_places=unique(_birth_places(element)),
        gender=gender if gender in ("male", "female") else None,
        nationalities=unique(_values(element, "NATIONALITY")),
        positions=unique(_values(element, "DESIGNATION")),
        programme=_text(element, "UN_LIST_TYPE") or None,
        listing_date=listing_date,
        line=line,
    )


def _birth_dates(reading: Reading, element: Element, line: int, entity_id: str) -> list[str]:
    """ISO dates from DATE, YEAR, FROM_YEAR..TO_YEAR or a dated NOTE."""
    dates: list[str] = []
    for item in element.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        exact = _text(item, "DATE") or _text(item, "YEAR")
        start, end = _text(item, "FROM_YEAR"), _text(item, "TO_YEAR")
        note = _text(item, "NOTE")
        if exact:
            parsed = parse_date(exact[:10], UN_FORMATS)
            if parsed:
                dates.append(parsed)
            else:
                reading.problem(line, f"unreadable date of birth {exact!r} left out", entity_id)
        elif start and end:
            first, last = parse_date(start, UN_FORMATS), parse_date(end, UN_FORMATS)
            if first and last:
                dates.extend(year_range(first, last))
        elif note:
            # Notes are mostly words ("Approximately"); only a note that is a date counts.
            parsed = parse_date(note, UN_FORMATS)
            if parsed:
                dates.append(parsed)
    return dates


def _birth_places(element: Element) -> list[str]:
    """`City, Province, Country` for each place of birth given."""
    places = []
    for item in element.findall("INDIVIDUAL_PLACE_OF_BIRTH"):
        parts = [_text(item, tag) for tag in ("CITY", "STATE_PROVINCE", "COUNTRY")]
        places.append(", ".join(part for part in parts if part))
    return places


def _values(element: Element, tag: str) -> list[str]:
    """The VALUE children of every `tag` child."""
    return [clean_text(v.text) for child in element.findall(tag) for v in child.findall("VALUE")]


def _text(element: Element, tag: str) -> str:
    """The cleaned text of the first `tag` child, or empty."""
    return clean_text(element.findtext(tag))
