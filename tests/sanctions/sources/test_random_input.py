"""Invariant: whatever bytes a file holds, a reader either reads it or raises ListFormatError."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.sanctions.sources import (
    ListFormatError,
    Reading,
    read_eu_765,
    read_ftm,
    read_ofac_sdn,
    read_un,
)
from vigil.sanctions.sources.eu_765 import CONSOLIDATED_HEADER

READERS: dict[str, Callable[[Path], Reading]] = {
    "eu": read_eu_765,
    "ofac": read_ofac_sdn,
    "un": read_un,
    "ftm": read_ftm,
}

# Bytes that steer the parsers into their edge cases more often than uniform noise does.
TRICKY = st.sampled_from(
    [b'"', b",", b";", b"\n", b"\r\n", b"\x1a", b"-0- ", b"<", b">", b"{", b"}", b"\x00", b"\xff"]
)
NOISE = st.lists(st.one_of(st.binary(max_size=20), TRICKY), max_size=40).map(b"".join)


def outcome(
    reader: Callable[[Path], Reading], content: bytes, name: str, alt: bytes | None = None
) -> str:
    """Read `content` as a file; the reader may finish or refuse, nothing else."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        (Path(folder) / "alt.csv").write_bytes(content if alt is None else alt)
        try:
            reading = reader(path)
            records = list(reading)
        except ListFormatError as error:
            assert error.line >= 0 and error.reason
            return "refused"
        assert reading.complete
        assert len({r.entity_id for r in records}) == len(records)
        return "read"


@pytest.mark.parametrize("kind", sorted(READERS))
@settings(max_examples=40, deadline=None)
@given(content=NOISE)
def test_random_bytes_never_crash_a_reader(kind: str, content: bytes) -> None:
    assert outcome(READERS[kind], content, "sdn.csv") in ("read", "refused")


@settings(max_examples=40, deadline=None)
@given(content=NOISE)
def test_random_rows_after_a_valid_eu_header_never_crash(content: bytes) -> None:
    header = ",".join(CONSOLIDATED_HEADER).encode() + b"\n"
    assert outcome(read_eu_765, header + content, "eu.csv") in ("read", "refused")


@settings(max_examples=40, deadline=None)
@given(content=NOISE)
def test_random_rows_after_a_valid_ofac_row_never_crash(content: bytes) -> None:
    first = b'1,"FICTIONAL CO",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    text = first + content + b"\r\n\x1a"
    assert outcome(read_ofac_sdn, text, "sdn.csv", alt=b"\x1a") in ("read", "refused")


@settings(max_examples=40, deadline=None)
@given(content=NOISE)
def test_random_bytes_inside_a_un_list_never_crash(content: bytes) -> None:
    text = b"<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>" + content
    assert outcome(read_un, text, "un.xml") in ("read", "refused")


@settings(max_examples=40, deadline=None)
@given(name=st.text(), birth=st.text(), listed=st.text(), alias=st.text())
def test_random_values_in_a_un_entry_are_read(
    name: str, birth: str, listed: str, alias: str
) -> None:
    given_values = {"FIRST_NAME": name, "DATE": birth, "LISTED_ON": listed, "ALIAS_NAME": alias}
    values = {tag: escape(_xml_safe(value)) for tag, value in given_values.items()}
    text = (
        "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>"
        f"<FIRST_NAME>{values['FIRST_NAME']}</FIRST_NAME>"
        f"<LISTED_ON>{values['LISTED_ON']}</LISTED_ON>"
        f"<INDIVIDUAL_ALIAS><ALIAS_NAME>{values['ALIAS_NAME']}</ALIAS_NAME></INDIVIDUAL_ALIAS>"
        f"<INDIVIDUAL_DATE_OF_BIRTH><DATE>{values['DATE']}</DATE></INDIVIDUAL_DATE_OF_BIRTH>"
        "</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"
    )
    assert outcome(read_un, text.encode("utf-8"), "un.xml") == "read"


@settings(max_examples=40, deadline=None)
@given(
    cells=st.lists(st.text(), min_size=len(CONSOLIDATED_HEADER), max_size=len(CONSOLIDATED_HEADER))
)
def test_random_values_in_eu_cells_are_read(cells: list[str]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CONSOLIDATED_HEADER)
    writer.writerow(cells)
    assert outcome(read_eu_765, buffer.getvalue().encode("utf-8"), "eu.csv") == "read"


def _xml_safe(text: str) -> str:
    """Text with the characters XML 1.0 cannot carry removed."""
    return "".join(
        c
        for c in text
        if c in "\t\n\r"
        or ("\x20" <= c <= "\ud7ff")
        or ("\ue000" <= c <= "\ufffd")
        or c >= "\U00010000"
    )
