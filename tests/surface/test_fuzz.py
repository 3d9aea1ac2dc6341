"""Req 20: fuzzed importer and parser inputs end in success or a documented, clean error."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vigil.core.context import change_context
from vigil.core.dates import UncertainDate
from vigil.core.errors import ImportFailed
from vigil.importers.viasna import COLUMNS, import_viasna
from vigil.records.citations import CitationError, parse_charges, parse_citation
from vigil.records.sentences import SentenceError, parse_penalty, parse_term

# Fragments of what the sources really write, so that generated text reaches deep branches.
CITATION_BITS = [
    "Part",
    "part",
    "Art.",
    "Arts.",
    "article",
    "ч.",
    "ст.",
    "п.",
    "ст.ст.",
    "of the",
    "and",
    "и",
    "і",
    ",",
    ";",
    "|",
    "—",
    "-",
    "Criminal Code",
    "УК",
    "КоАП",
    "Code of Administrative",
    "Offences",
    "13",
    "14",
    "293",
    "342",
    "361-1",
    "2",
    "1.1",
    "республики беларусь",
    " ",
]
SENTENCE_BITS = [
    "4 1/2 years",
    "1 year",
    "adn",
    "and",
    "6 months",
    "3",
    "1,5",
    "лет",
    "месяцев",
    "год",
    "imprisonment",
    "colony",
    "medium",
    "maximum",
    "special",
    "prison",
    "suspended",
    "fine",
    "base rates",
    "б.в.",
    "restricted freedom",
    "khimiya",
    "dismissed",
    "0/0",
    "1/0",
    " ",
]
DATE_BITS = [
    "2011",
    "2011-08-04",
    "2011-08",
    "04.08.2011",
    "4 August 2011",
    "August 2011",
    "199X",
    "1990s",
    "августа",
    "жнівень",
    "г.",
    "года",
    "/",
    "XXXX",
    "unknown",
    "31",
    "02",
    "-",
    " ",
]


def fragments(bits: list[str]) -> st.SearchStrategy[str]:
    """Text made of real fragments and arbitrary characters, in any order."""
    piece = st.one_of(st.sampled_from(bits), st.text(max_size=4))
    return st.lists(piece, max_size=12).map(" ".join)


@given(fragments(CITATION_BITS))
def test_req20_citation_parser_raises_only_citation_error(text):
    for parse in (parse_charges, parse_citation):
        try:
            parse(text)
        except CitationError:
            pass


@given(fragments(SENTENCE_BITS))
def test_req20_sentence_parsers_raise_only_sentence_error(text):
    for parse in (parse_term, parse_penalty):
        try:
            parse(text)
        except SentenceError:
            pass


@given(fragments(DATE_BITS))
def test_req20_date_parser_raises_only_value_error(text):
    try:
        parsed = UncertainDate.parse(text)
    except ValueError:
        return
    if parsed is not None:  # what it reads, it can write back
        assert UncertainDate.parse(parsed.to_iso()) == parsed


# --- the Viasna importer ---------------------------------------------------------------------
VALUE_BITS = [
    "",
    "Fictia Testovna",
    "Citizen A.",
    "active",
    "former",
    "np",
    "male",
    "female",
    "other",
    "2020-08-10",
    "2020-13-40",
    "10.08.2020",
    "Part 2 of Art. 293 of the Criminal Code",
    "4 1/2 years",
    "1 year adn 6 months",
    "imprisonment in a medium-security penal colony",
    "Judge Fictus",
    'quote"inside',
    "comma,inside",
    "line\nbreak",
    "Ѕ",
    "\x00",
]


@st.composite
def viasna_csv(draw) -> bytes:
    """A CSV in the Viasna layout (or close to it), possibly broken."""
    columns = draw(st.lists(st.sampled_from([*COLUMNS, "unexpected"]), min_size=1, unique=True))
    cell = st.one_of(st.sampled_from(VALUE_BITS), st.text(max_size=12))
    rows = draw(st.lists(st.lists(cell, min_size=len(columns), max_size=len(columns)), max_size=4))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(rows)
    data = out.getvalue().encode("utf-8")
    damage = draw(st.sampled_from(["none", "none", "truncate", "bytes", "extra"]))
    if damage == "truncate" and data:
        data = data[: draw(st.integers(0, len(data)))]
    elif damage == "bytes":
        data = data + draw(st.binary(min_size=1, max_size=8))
    elif damage == "extra":
        data = data + b'\n"unclosed,' + data[-5:]
    return data


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.one_of(viasna_csv(), st.binary(max_size=200)))
def test_req20_viasna_importer_succeeds_or_raises_import_failed(tmp_path: Path, data: bytes):
    path = tmp_path / "fuzzed.csv"
    path.write_bytes(data)
    with change_context("test"):
        try:
            import_viasna(path)
        except ImportFailed as exc:
            assert exc.message  # a message a user can read
