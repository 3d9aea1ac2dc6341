"""The list readers' fast paths give what the slow ways they stand in for give (issue 14 §3).

Each one answers the common case itself and hands anything else to the general code; these
tests compare the two on the awkward inputs: strptime's dates, Django's JSON, json.dumps'
fingerprint text, check_name, the csv module's cells and its field limit.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import fields
from pathlib import Path

import prefixdate
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.core.validation import InputRefused, are_checked_names, check_name
from vigil.sanctions.entity_rows import json_names, json_strings
from vigil.sanctions.sources import ListedRecord, NameForm
from vigil.sanctions.sources.dates import OFAC_FORMATS, parse_date
from vigil.sanctions.sources.records import content_fingerprint
from vigil.sanctions.sources.text_lines import csv_rows, decoded_lines, split_cell

MONTHS = ["Jan", "feb", "MAR", "Sep", "Sept", "May", "Mai", "dec", "Xyz", ""]
AWKWARD_TEXT = st.text(
    alphabet=st.sampled_from(list("aZ ;,'\"\\\t\n\r\x00\x1f\u00a0é\u2028\u202eЁ😀")), max_size=12
)


@given(
    day=st.sampled_from(["", "0", "00", "1", "01", "9", "29", "30", "31", "32", "123"]),
    month=st.sampled_from(MONTHS),
    year=st.sampled_from(["0000", "0001", "0999", "1900", "1964", "2000", "2023", "9999", "196"]),
)
def test_ofac_dates_read_as_strptime_reads_them(day: str, month: str, year: str) -> None:
    text = " ".join(part for part in (day, month, year) if part)
    expected = prefixdate.parse_formats(text, OFAC_FORMATS).text
    assert parse_date(text, OFAC_FORMATS) == expected
    assert parse_date(f"  {text}. ", OFAC_FORMATS) == expected


def test_impossible_ofac_dates_are_still_refused() -> None:
    assert parse_date("31 Feb 1964", OFAC_FORMATS) is None
    assert parse_date("29 Feb 1900", OFAC_FORMATS) is None
    assert parse_date("29 Feb 2000", OFAC_FORMATS) == "2000-02-29"
    assert parse_date("0000", OFAC_FORMATS) is None


def _reference_fingerprint(record: ListedRecord) -> str:
    """The fingerprint as the previous code wrote it: json.dumps of the content dict."""
    content = {}
    for item in fields(record):
        if item.name in ("line", "raw_fingerprint"):
            continue
        value = getattr(record, item.name)
        if item.name == "names":
            value = [[name.value, name.kind] for name in value]
        content[item.name] = value
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@settings(max_examples=200)
@given(
    text=AWKWARD_TEXT,
    optional=st.one_of(st.none(), AWKWARD_TEXT),
    many=st.lists(AWKWARD_TEXT, max_size=3).map(tuple),
)
def test_the_fingerprint_text_is_what_json_dumps_wrote(text, optional, many) -> None:
    record = ListedRecord(
        list_kind="ofac-sdn",
        entity_id=text or "1",
        schema="Person",
        names=(NameForm(text, "primary"), NameForm(text + "x", "weak_alias")),
        birth_dates=many,
        birth_places=many,
        gender=optional,
        nationalities=many,
        positions=(),
        programme=optional,
        listing_date=optional,
        measures=many,
        reason=optional,
    )
    assert content_fingerprint(record) == _reference_fingerprint(record)


def test_a_value_of_another_type_is_fingerprinted_by_the_encoder() -> None:
    record = ListedRecord(
        list_kind="ofac-sdn",
        entity_id="7",
        schema="Person",
        names=(NameForm("Testa EXAMPLOVA", "primary"),),
        birth_dates=["1964"],  # type: ignore[arg-type]  # a list where a tuple is declared
    )
    assert content_fingerprint(record) == _reference_fingerprint(record)


@given(values=st.lists(AWKWARD_TEXT, max_size=4))
def test_stored_json_columns_are_what_json_dumps_writes(values: list[str]) -> None:
    assert json_strings(tuple(values)) == json.dumps(values)
    names = [NameForm(v, "alias") for v in values]
    assert json_names(names) == json.dumps([{"value": v, "kind": "alias"} for v in values])


def test_json_of_values_that_are_not_strings_falls_back_to_the_encoder() -> None:
    assert json_strings((1, None)) == json.dumps([1, None])  # type: ignore[arg-type]


def _kept(value: str) -> bool:
    try:
        return check_name(value, "name") == value
    except InputRefused:
        return False


@given(values=st.lists(AWKWARD_TEXT, max_size=4))
def test_names_pass_the_one_pass_check_exactly_when_check_name_keeps_each(values) -> None:
    assert are_checked_names(values) is all(_kept(v) for v in values)


def test_an_over_long_name_fails_the_one_pass_check() -> None:
    assert are_checked_names(["A" * 500, "B"]) and not are_checked_names(["B", "A" * 501])
    assert are_checked_names([]) and not are_checked_names([""])


@given(value=AWKWARD_TEXT)
def test_a_cell_splits_as_the_csv_module_splits_it(value: str) -> None:
    if not value.strip():
        expected: list[str] = []
    else:
        try:
            row = next(csv.reader([value], delimiter=";", skipinitialspace=True, strict=True))
        except csv.Error:
            row = value.split(";")
        expected = [v.strip() for v in row if v.strip()]
    assert split_cell(value) == expected


def test_the_csv_field_limit_is_put_back_between_rows(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text('1,"a"\n2,"b\nc"\n3,"' + "x" * 200_000 + '"\n4,d\n', encoding="utf-8")
    before = csv.field_size_limit()
    seen = []
    for row in csv_rows(decoded_lines(path)):
        # While the reader is paused, the process's limit is whatever it was before.
        assert csv.field_size_limit() == before
        seen.append((row.first_line, row.cells[:1], row.error))
    assert seen[:2] == [(1, ["1"], None), (2, ["2"], None)]
    assert seen[2][2] is not None and "longer than" in seen[2][2]
    assert csv.field_size_limit() == before


@pytest.mark.parametrize("limit", [10, 2**31 - 1])
def test_another_librarys_field_limit_does_not_change_what_is_read(tmp_path, limit) -> None:
    path = tmp_path / "rows.csv"
    path.write_text('1,"' + "y" * 50 + '"\n', encoding="utf-8")
    previous = csv.field_size_limit(limit)
    try:
        rows = list(csv_rows(decoded_lines(path)))
        assert rows[0].cells == ["1", "y" * 50] and rows[0].error is None
        assert csv.field_size_limit() == limit
    finally:
        csv.field_size_limit(previous)
