"""The OFAC SDN legacy CSV reader on the real snapshot and on small fictional files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from vigil.sanctions.sources import ListFormatError, ReadResult, read_ofac_sdn
from vigil.sanctions.sources.ofac_remarks import birth_dates, parse_remarks

END = "\x1a"
EMPTY = "-0- "


def sdn_line(ent_num: int, name: str, sdn_type: str, programme: str, remarks: str) -> str:
    """One legacy sdn.csv line with OFAC's empty markers."""
    cells = [str(ent_num), f'"{name}"', sdn_type, f'"{programme}"', *[EMPTY] * 7, remarks]
    return ",".join(cells)


def write_lists(tmp_path: Path, sdn: list[str], alt: list[str] | None = None) -> Path:
    """sdn.csv (and alt.csv) in OFAC's CRLF layout, each ending with a Ctrl-Z line."""
    path = tmp_path / "sdn.csv"
    path.write_text("\r\n".join(sdn) + "\r\n", encoding="utf-8", newline="")
    if alt is not None:
        (tmp_path / "alt.csv").write_text("\r\n".join(alt) + "\r\n", encoding="utf-8", newline="")
    return path


PERSON = sdn_line(
    1001,
    "EXAMPLAU, Fiktyvan",
    '"individual"',
    "BELARUS",
    '"DOB 15 Nov 1964; POB Imaginary, Belarus; nationality Belarus; Gender Male; '
    "a.k.a. 'THE EXAMPLE'.\"",
)
COMPANY = sdn_line(1002, "IMAGINARY PLANT OAO", EMPTY, "IRAN] [SDGT", EMPTY)
ALIASES = [
    f'1001,1,"aka","EXAMPLOV, Fiktivan",{EMPTY}',
    f'1001,2,"fka","OLDNAME, Fiktyvan",{EMPTY}',
    f'1002,3,"aka","IMAGINARY PLANT",{EMPTY}',
    END,
]


def test_read_ofac_sdn_counts_entries_and_the_belarus_programme(ofac_list: ReadResult) -> None:
    belarus = [r for r in ofac_list.records if "BELARUS" in (r.programme or "").split("; ")]
    assert len(ofac_list.records) == 8976
    assert len(belarus) == 59
    assert Counter(r.schema for r in belarus) == {"Person": 41, "LegalEntity": 18}
    assert ofac_list.problems == []


def test_read_ofac_sdn_filters_one_programme_with_the_same_fingerprints(
    shared_data: Path, ofac_list: ReadResult
) -> None:
    result = read_ofac_sdn(shared_data / "ofac" / "sdn.csv", programme="BELARUS").collect()
    assert len(result.records) == 59
    assert {r.programme for r in result.records} == {"BELARUS"}
    everything = {r.entity_id: r.raw_fingerprint for r in ofac_list.records}
    assert all(everything[r.entity_id] == r.raw_fingerprint for r in result.records)


def test_read_ofac_sdn_reads_known_belarus_entries(ofac_list: ReadResult) -> None:
    records = {record.entity_id: record for record in ofac_list.records}
    president = records["9760"]
    assert president.primary_name == "LUKASHENKA, Alyaksandr Hryhoryavich"
    assert "LUKASHENKO, Aleksandr Grigorievich" in president.names_of("alias")
    assert president.birth_dates == ("1954-08-30",)
    assert president.birth_places == ("Kopys, Vitebsk oblast, Belarus",)
    assert president.positions == ("President",)
    minister = records["10138"]
    assert minister.gender == "male"
    assert minister.nationalities == ("Belarus",)
    assert "SLIZHEUSKI, Aleh Leanidavich" in minister.names_of("alias")
    assert records["30702"].names_of("weak_alias") == ("ALPHA GROUP", "ALPHA UNIT")
    assert "NAFTAN PRODUCTION ASSOCIATION" in records["12860"].names_of("previous")


def test_read_ofac_sdn_gives_unique_ids(ofac_list: ReadResult) -> None:
    ids = [record.entity_id for record in ofac_list.records]
    assert len(ids) == len(set(ids))


def test_read_ofac_sdn_joins_aliases_and_parses_remarks(tmp_path: Path) -> None:
    path = write_lists(tmp_path, [PERSON, COMPANY, END], ALIASES)
    result = read_ofac_sdn(path).collect()
    person, company = result.records
    assert person.names_of("alias") == ("EXAMPLOV, Fiktivan",)
    assert person.names_of("previous") == ("OLDNAME, Fiktyvan",)
    assert person.names_of("weak_alias") == ("THE EXAMPLE",)
    assert person.birth_dates == ("1964-11-15",)
    assert person.gender == "male"
    assert person.programme == "BELARUS"
    assert company.schema == "LegalEntity"
    assert company.programme == "IRAN; SDGT"
    assert company.names_of("alias") == ("IMAGINARY PLANT",)
    assert result.problems == []


def test_read_ofac_sdn_notes_a_missing_alt_file(tmp_path: Path) -> None:
    result = read_ofac_sdn(write_lists(tmp_path, [PERSON, END])).collect()
    assert len(result.records) == 1
    assert "alt.csv not found" in result.problems[0].reason


def test_read_ofac_sdn_reports_aliases_of_unknown_entries(tmp_path: Path) -> None:
    alt = [f'999,9,"aka","NOBODY",{EMPTY}', *ALIASES]
    result = read_ofac_sdn(write_lists(tmp_path, [PERSON, COMPANY, END], alt)).collect()
    assert result.problems[0].line == 1
    assert "alias of unknown entry 999" in result.problems[0].reason


def test_read_ofac_sdn_refuses_a_file_with_a_header_row(tmp_path: Path) -> None:
    path = write_lists(tmp_path, ["ent_num,SDN_Name,SDN_Type", PERSON, END], ALIASES)
    with pytest.raises(ListFormatError, match="not an OFAC legacy CSV") as caught:
        read_ofac_sdn(path).collect()
    assert caught.value.line == 1


def test_read_ofac_sdn_refuses_a_file_without_the_end_marker(tmp_path: Path) -> None:
    path = write_lists(tmp_path, [PERSON, COMPANY], ALIASES)
    with pytest.raises(ListFormatError, match="truncated") as caught:
        read_ofac_sdn(path).collect()
    assert caught.value.line == 2


def test_read_ofac_sdn_reports_a_broken_quote_with_its_line(tmp_path: Path) -> None:
    broken = sdn_line(1003, 'BROKEN "QUOTE" CO', EMPTY, "CUBA", EMPTY)
    result = read_ofac_sdn(write_lists(tmp_path, [PERSON, broken, COMPANY, END], ALIASES)).collect()
    assert [r.entity_id for r in result.records] == ["1001", "1002"]
    (problem,) = result.problems
    assert problem.line == 2
    assert "sdn.csv: broken CSV quoting" in problem.reason


def test_parse_remarks_reads_alternative_dates_places_and_citizenship() -> None:
    remarks = parse_remarks(
        "DOB 1966; alt. DOB Jul 1967; POB Imaginary; alt. POB Elsewhere; "
        "citizen Belarus; Gender Female."
    )
    assert remarks.birth_dates == ["1966", "1967-07"]
    assert remarks.birth_places == ["Imaginary", "Elsewhere"]
    assert remarks.nationalities == ["Belarus"]
    assert remarks.gender == "female"


def test_birth_dates_spells_out_short_year_ranges() -> None:
    assert birth_dates("circa 1979-1982") == ["1979", "1980", "1981", "1982"]
    assert birth_dates("01 Jan 1960 to 31 Dec 1962") == ["1960-01-01", "1961", "1962-12-31"]
    assert birth_dates("1900 to 1990") == ["1900", "1990"]
    assert birth_dates("unknown") == []


@pytest.mark.parametrize("number", ["1²", "²", "١٢", "1001\u00b3"])
def test_read_ofac_sdn_reports_a_row_whose_entry_number_has_non_ascii_digits(
    tmp_path: Path, number: str
) -> None:
    bad = sdn_line(1003, "SUPERSCRIPT, Fiktyvan", '"individual"', "BELARUS", EMPTY)
    bad = number + bad[len("1003") :]
    path = write_lists(tmp_path, [PERSON, bad, END], [f'1001,1,"aka","X, Y",{EMPTY}', END])
    result = read_ofac_sdn(path).collect()
    assert [r.entity_id for r in result.records] == ["1001"]
    assert any("entry number" in p.reason and p.line == 2 for p in result.problems)


def test_read_ofac_sdn_reports_an_alias_whose_entry_number_has_superscript_digits(
    tmp_path: Path,
) -> None:
    alt = [f'1001,1,"aka","X, Y",{EMPTY}', f'1001²,2,"aka","Z, W",{EMPTY}', END]
    path = write_lists(tmp_path, [PERSON, END], alt)
    result = read_ofac_sdn(path).collect()
    assert [r.entity_id for r in result.records] == ["1001"]
    assert any("alt.csv" in p.reason and p.line == 2 for p in result.problems)


def test_read_ofac_sdn_refuses_a_file_whose_first_entry_number_is_superscript(
    tmp_path: Path,
) -> None:
    path = write_lists(tmp_path, ["²" + PERSON[len("1001") :], END])
    with pytest.raises(ListFormatError, match="not an OFAC legacy CSV"):
        read_ofac_sdn(path).collect()
