"""The FollowTheMoney JSON-lines reader on small fictional exports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from vigil.sanctions.sources import ListFormatError, read_ftm

PERSON: dict[str, Any] = {
    "id": "NK-fictional1",
    "schema": "Person",
    "properties": {
        "name": ["Fiktyvan EXAMPLAU"],
        "alias": ["Фіктыван ЭКЗАМПЛАЎ"],
        "weakAlias": ["The Example"],
        "birthDate": ["1964-11-15", "not a date"],
        "gender": ["male"],
        "nationality": ["by"],
        "position": ["Judge of the Imaginary Court"],
        "sanctions": [
            {
                "id": "NK-fictional1-s",
                "schema": "Sanction",
                "properties": {
                    "program": ["Imaginary regime"],
                    "listingDate": ["2021-06-21"],
                    "provisions": ["Asset freeze"],
                    "reason": ["Fictional reason."],
                },
            }
        ],
    },
    "target": True,
}
COMPANY = {"id": "NK-fictional2", "schema": "Company", "properties": {"name": ["Imaginary OAO"]}}
ADDRESS = {"id": "addr-1", "schema": "Address", "properties": {"full": ["1 Nowhere St"]}}


def write(tmp_path: Path, *lines: Any) -> Path:
    """A JSON-lines file; dicts are dumped, strings written as they are."""
    path = tmp_path / "entities.ftm.json"
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def test_read_ftm_keeps_persons_and_organisations_only(tmp_path: Path) -> None:
    result = read_ftm(write(tmp_path, PERSON, ADDRESS, COMPANY)).collect()
    assert [(r.entity_id, r.schema) for r in result.records] == [
        ("NK-fictional1", "Person"),
        ("NK-fictional2", "Company"),
    ]
    assert [r.line for r in result.records] == [1, 3]
    assert result.problems == []


def test_read_ftm_reads_names_dates_and_nested_sanctions(tmp_path: Path) -> None:
    (person,) = read_ftm(write(tmp_path, PERSON)).collect().records
    assert person.list_kind == "ftm"
    assert person.primary_name == "Fiktyvan EXAMPLAU"
    assert person.names_of("alias") == ("Фіктыван ЭКЗАМПЛАЎ",)
    assert person.names_of("weak_alias") == ("The Example",)
    assert person.birth_dates == ("1964-11-15",)
    assert person.gender == "male"
    assert person.programme == "Imaginary regime"
    assert person.listing_date == "2021-06-21"
    assert person.measures == ("Asset freeze",)
    assert person.reason == "Fictional reason."


def test_read_ftm_takes_a_list_kind_for_the_ids(tmp_path: Path) -> None:
    (person,) = read_ftm(write(tmp_path, PERSON), list_kind="opensanctions").collect().records
    assert person.to_ftm().id == "opensanctions-NK-fictional1"


def test_read_ftm_reports_a_broken_line_and_reads_on(tmp_path: Path) -> None:
    result = read_ftm(write(tmp_path, PERSON, '{"id": "x", "schema": ', COMPANY)).collect()
    assert len(result.records) == 2
    (problem,) = result.problems
    assert problem.line == 2
    assert "invalid JSON" in problem.reason


def test_read_ftm_reports_an_unknown_schema_and_a_nameless_entity(tmp_path: Path) -> None:
    odd = {"id": "odd", "schema": "Spaceship", "properties": {}}
    nameless = {"id": "nameless", "schema": "Person", "properties": {"alias": ["Only Alias"]}}
    result = read_ftm(write(tmp_path, PERSON, odd, nameless)).collect()
    assert [(p.line, p.reason) for p in result.problems] == [
        (2, "unknown schema 'Spaceship'; line skipped"),
        (3, "entity without a name; line skipped"),
    ]


def test_read_ftm_refuses_a_file_of_another_kind(tmp_path: Path) -> None:
    path = write(tmp_path, "celex,recordId,programKey", json.dumps(PERSON))
    with pytest.raises(ListFormatError, match="not a FollowTheMoney") as caught:
        read_ftm(path).collect()
    assert caught.value.line == 1


def test_read_ftm_refuses_an_empty_file(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="empty file"):
        read_ftm(write(tmp_path, "")).collect()
