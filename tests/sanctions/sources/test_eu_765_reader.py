"""The EU 765/2006 reader on the real transcription and on small fictional files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from vigil.sanctions.sources import ListFormatError, ReadResult, read_eu_765
from vigil.sanctions.sources.eu_765 import CONSOLIDATED_HEADER

HEADER = ",".join(CONSOLIDATED_HEADER)


def eu_row(**values: str) -> str:
    """A CSV line in the consolidated layout; unnamed columns stay empty."""
    cells = {"celex": "32006R0765", "programKey": "EU-BLR", "measure": "Asset freeze"}
    cells.update(values)
    quoted = []
    for column in CONSOLIDATED_HEADER:
        value = cells.get(column, "")
        needs_quotes = any(c in value for c in ',"\n')
        quoted.append('"' + value.replace('"', '""') + '"' if needs_quotes else value)
    return ",".join(quoted)


def write(tmp_path: Path, *lines: str) -> Path:
    """A fictional EU file from raw lines."""
    path = tmp_path / "eu.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


FICTIONAL = eu_row(
    recordId="7",
    annex="I.A",
    startDate="2.12.2020",
    reason="Fictional judge, of a fictional court.",
    schema="Person",
    name="Testa Fictionavna EXAMPLOVA",
    alias="Testa Fiktivnaya EKZAMPLOVA; Теста Фікціўная ЭКЗАМПЛОВА",
    birthDate="7.2.1956; 1979, 1980 or 1981",
    gender="female",
    position="Judge of the Imaginary District Court",
)


def test_read_eu_765_counts_persons_legal_entities_and_the_asset(eu_list: ReadResult) -> None:
    schemas = Counter(record.schema for record in eu_list.records)
    assert len(eu_list.records) == 408
    assert schemas == {"Person": 312, "LegalEntity": 95, "Asset": 1}
    assert eu_list.problems == []


def test_read_eu_765_keys_entries_by_annex_and_record_id(eu_list: ReadResult) -> None:
    records = {record.entity_id: record for record in eu_list.records}
    first = records["I.A/1"]
    assert first.primary_name == "Uladzimir Uladzimiravich NAVUMAU"
    assert "Владимир Владимирович НАУМОВ" in first.names_of("alias")
    assert first.birth_dates == ("1956-02-07",)
    assert first.listing_date == "2004-09-24"
    assert first.programme == "EU-BLR"
    assert first.measures == ("Asset freeze",)
    # I.B reuses the numbers of I.A: the annex keeps them apart.
    assert records["I.B/1"].schema == "LegalEntity"
    assert records["I.B/1"].names_of("alias") == ("Белтехэкспорт",)


def test_read_eu_765_reads_several_birth_dates_in_one_cell(eu_list: ReadResult) -> None:
    records = {record.entity_id: record for record in eu_list.records}
    assert records["I.A/115"].birth_dates == ("1964-11-21", "1965")
    assert records["I.A/157"].birth_dates == ("1966-01-28",)
    assert records["I.A/304"].birth_dates == ("1979", "1980", "1981")


def test_read_eu_765_keeps_previous_names_whole(eu_list: ReadResult) -> None:
    records = {record.entity_id: record for record in eu_list.records}
    previous = records["I.A/56"].names_of("previous")
    assert previous == (
        "Kirsanova (Russian spelling: Кирсанова) or Selyun (Russian spelling: Селюн)",
    )


def test_read_eu_765_gives_unique_ids_and_hashed_ids_to_rows_without_record_id(
    eu_list: ReadResult,
) -> None:
    ids = [record.entity_id for record in eu_list.records]
    assert len(ids) == len(set(ids))
    banks = [r for r in eu_list.records if r.entity_id.startswith("IX/")]
    assert len(banks) == 5
    assert all(len(r.entity_id) == len("IX/") + 16 for r in banks)


def test_read_eu_765_rereading_gives_identical_fingerprints(shared_data: Path) -> None:
    path = shared_data / "sanctions" / "eu_reg_765_2006_annexI.csv"
    first = [(r.entity_id, r.raw_fingerprint) for r in read_eu_765(path)]
    second = [(r.entity_id, r.raw_fingerprint) for r in read_eu_765(path)]
    assert first == second
    assert len({fingerprint for _, fingerprint in first}) == len(first)


def test_read_eu_765_reads_a_fictional_row(tmp_path: Path) -> None:
    result = read_eu_765(write(tmp_path, HEADER, FICTIONAL)).collect()
    (record,) = result.records
    assert record.entity_id == "I.A/7"
    assert record.line == 2
    assert record.names_of("alias") == (
        "Testa Fiktivnaya EKZAMPLOVA",
        "Теста Фікціўная ЭКЗАМПЛОВА",
    )
    assert record.birth_dates == ("1956-02-07", "1979", "1980", "1981")
    assert record.gender == "female"
    assert record.listing_date == "2020-12-02"


def test_read_eu_765_hashed_id_survives_an_alias_change(tmp_path: Path) -> None:
    before = eu_row(annex="V", schema="LegalEntity", name="Imaginary Plant OJSC")
    after = eu_row(annex="V", schema="LegalEntity", name="Imaginary Plant OJSC", alias="IP")
    (old,) = read_eu_765(write(tmp_path, HEADER, before)).collect().records
    (new,) = read_eu_765(write(tmp_path, HEADER, after)).collect().records
    assert old.entity_id == new.entity_id
    assert old.entity_id.startswith("V/")
    assert old.raw_fingerprint != new.raw_fingerprint


def test_read_eu_765_refuses_a_file_of_another_kind(tmp_path: Path) -> None:
    path = write(tmp_path, '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA"')
    with pytest.raises(ListFormatError, match="header") as caught:
        read_eu_765(path).collect()
    assert caught.value.line == 1


def test_read_eu_765_refuses_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(ListFormatError, match="empty"):
        read_eu_765(path).collect()


def test_read_eu_765_reports_a_broken_quote_with_its_line_and_reads_on(tmp_path: Path) -> None:
    broken = eu_row(recordId="8", annex="I.A", schema="Person", name="X").replace(
        ",X,", ',"Broken "quote" EXAMPLOV,'
    )
    path = write(tmp_path, HEADER, FICTIONAL, broken, FICTIONAL.replace(",7,", ",9,", 1))
    result = read_eu_765(path).collect()
    assert [r.entity_id for r in result.records] == ["I.A/7", "I.A/9"]
    (problem,) = result.problems
    assert problem.line == 3
    assert "quoting" in problem.reason and "skipped" in problem.reason


def test_read_eu_765_reports_a_row_with_missing_fields(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER, "32006R0765,3,EU-BLR,I.A", FICTIONAL)
    result = read_eu_765(path).collect()
    assert len(result.records) == 1
    assert result.problems[0].line == 2
    assert "expected 45 fields, found 4 (line 2)" in result.problems[0].reason


def test_read_eu_765_stops_with_the_line_of_a_truncated_quoted_field(tmp_path: Path) -> None:
    truncated = FICTIONAL[: FICTIONAL.index("Fictional judge") + 10]
    path = write(tmp_path, HEADER, FICTIONAL.replace(",7,", ",6,", 1), truncated)
    reading = read_eu_765(path)
    with pytest.raises(ListFormatError, match="quoted field") as caught:
        list(reading)
    assert caught.value.line == 3
    assert reading.complete is False


def test_read_eu_765_notes_an_unreadable_birth_date_and_keeps_the_row(tmp_path: Path) -> None:
    row = eu_row(recordId="3", annex="I.A", schema="Person", name="Ima GINARY", birthDate="soon")
    result = read_eu_765(write(tmp_path, HEADER, row)).collect()
    assert result.records[0].birth_dates == ()
    assert "unreadable birth date 'soon'" in result.problems[0].reason
    assert result.problems[0].entity_id == "I.A/3"


def test_read_eu_765_skips_a_repeated_id(tmp_path: Path) -> None:
    result = read_eu_765(write(tmp_path, HEADER, FICTIONAL, FICTIONAL)).collect()
    assert len(result.records) == 1
    assert result.problems[0].line == 3
    assert "duplicate id 'I.A/7'" in result.problems[0].reason
