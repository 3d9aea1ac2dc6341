"""The UN consolidated XML reader on the real list and on small fictional files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from vigil.sanctions.sources import ListFormatError, ReadResult, read_un

FICTIONAL = """<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2001-01-01T00:00:00Z">
  <INDIVIDUALS>
    <INDIVIDUAL>
      <DATAID>900001</DATAID>
      <FIRST_NAME>FICTIVUS</FIRST_NAME>
      <SECOND_NAME>EXAMPLUS</SECOND_NAME>
      <UN_LIST_TYPE>Imaginaria</UN_LIST_TYPE>
      <LISTED_ON>2001-02-03</LISTED_ON>
      <GENDER>Female</GENDER>
      <DESIGNATION><VALUE>Imaginary Judge</VALUE></DESIGNATION>
      <NATIONALITY><VALUE>Imaginaria</VALUE></NATIONALITY>
      <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>FICTIVA</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>AN EXAMPLE</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1970-05-06</DATE>
      </INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1971</FROM_YEAR>
        <TO_YEAR>1973</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_PLACE_OF_BIRTH><CITY>Nowhere</CITY><COUNTRY>Imaginaria</COUNTRY>
      </INDIVIDUAL_PLACE_OF_BIRTH>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES>
    <ENTITY>
      <DATAID>900002</DATAID>
      <FIRST_NAME>IMAGINARY FRONT</FIRST_NAME>
      <UN_LIST_TYPE>Imaginaria</UN_LIST_TYPE>
      <LISTED_ON>2002-03-04</LISTED_ON>
      <ENTITY_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>OLD FRONT</ALIAS_NAME></ENTITY_ALIAS>
    </ENTITY>
  </ENTITIES>
</CONSOLIDATED_LIST>
"""


ENTITY_LINE = FICTIONAL[: FICTIONAL.index("<ENTITY>")].count("\n") + 1


def write(tmp_path: Path, text: str) -> Path:
    """A fictional XML file."""
    path = tmp_path / "un.xml"
    path.write_text(text, encoding="utf-8")
    return path


def test_read_un_counts_individuals_and_entities(un_list: ReadResult) -> None:
    assert Counter(r.schema for r in un_list.records) == {"Person": 730, "LegalEntity": 273}
    assert un_list.problems == []
    assert un_list.source_version == "2026-02-27T00:00:09.554Z"


def test_read_un_reads_known_entries(un_list: ReadResult) -> None:
    records = {record.entity_id: record for record in un_list.records}
    first = records["6907993"]
    assert first.primary_name == "ERIC BADEGE"
    assert first.birth_dates == ("1971",)
    assert first.programme == "DRC"
    assert first.listing_date == "2012-12-31"
    assert first.gender == "male"
    assert first.line == 4
    assert records["6907994"].names_of("alias") == (
        "FRANK KAKORERE",
        "FRANK KAKORERE BWAMBALE",
        "AIGLE BLANC",
    )
    assert records["6908402"].names_of("previous") == (
        "Forces Démocratiques Alliées-Armée Nationale de Libération de l’Ouganda",
        "ADF/NALU",
        "NALU",
    )


def test_read_un_gives_unique_ids_and_stable_fingerprints(
    shared_data: Path, un_list: ReadResult
) -> None:
    ids = [record.entity_id for record in un_list.records]
    assert len(ids) == len(set(ids))
    again = read_un(shared_data / "un" / "UN_consolidated.xml").collect()
    assert [r.raw_fingerprint for r in again.records] == [
        r.raw_fingerprint for r in un_list.records
    ]


def test_read_un_reads_a_fictional_list(tmp_path: Path) -> None:
    result = read_un(write(tmp_path, FICTIONAL)).collect()
    person, entity = result.records
    assert person.primary_name == "FICTIVUS EXAMPLUS"
    assert person.names_of("alias") == ("FICTIVA",)
    assert person.names_of("weak_alias") == ("AN EXAMPLE",)
    assert person.birth_dates == ("1970-05-06", "1971", "1972", "1973")
    assert person.birth_places == ("Nowhere, Imaginaria",)
    assert person.positions == ("Imaginary Judge",)
    assert person.gender == "female"
    assert person.line == 4
    assert entity.schema == "LegalEntity"
    assert entity.names_of("previous") == ("OLD FRONT",)
    assert entity.line == ENTITY_LINE == 24
    assert result.source_version == "2001-01-01T00:00:00Z"


def test_read_un_stops_with_the_line_of_a_truncated_file(tmp_path: Path) -> None:
    cut = FICTIONAL.index("<DATAID>900002") + 10
    reading = read_un(write(tmp_path, FICTIONAL[:cut]))
    records = []
    with pytest.raises(ListFormatError, match="not readable XML") as caught:
        records.extend(reading)
    assert caught.value.line == ENTITY_LINE + 1
    assert [r.entity_id for r in records] == ["900001"]
    assert reading.complete is False


def test_read_un_refuses_text_that_is_not_xml(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="not readable XML") as caught:
        read_un(write(tmp_path, "celex,recordId\n1,2\n")).collect()
    assert caught.value.line == 1


def test_read_un_refuses_xml_of_another_kind(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="root is <sdnList>"):
        read_un(write(tmp_path, "<?xml version='1.0'?>\n<sdnList></sdnList>\n")).collect()


def test_read_un_refuses_an_empty_file(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError):
        read_un(write(tmp_path, "")).collect()


def test_read_un_refuses_entity_expansion(tmp_path: Path) -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
        "<CONSOLIDATED_LIST>&lol2;</CONSOLIDATED_LIST>\n"
    )
    with pytest.raises(ListFormatError, match="unsafe XML refused"):
        read_un(write(tmp_path, bomb)).collect()


def test_read_un_skips_a_record_without_dataid(tmp_path: Path) -> None:
    text = FICTIONAL.replace("<DATAID>900002</DATAID>", "")
    result = read_un(write(tmp_path, text)).collect()
    assert [r.entity_id for r in result.records] == ["900001"]
    assert result.problems[0].line == ENTITY_LINE
    assert "without DATAID" in result.problems[0].reason
