"""The common record: fingerprints, FtM ids and FtM entities."""

from __future__ import annotations

from dataclasses import replace

import pytest
from followthemoney.types import registry
from hypothesis import given
from hypothesis import strategies as st

from vigil.sanctions.sources import ListedRecord, NameForm
from vigil.sanctions.sources.records import content_fingerprint, safe_entity_id


def fictional(**changes: object) -> ListedRecord:
    """A visibly fictional record."""
    values: dict[str, object] = {
        "list_kind": "eu-765",
        "entity_id": "I.A/7",
        "schema": "Person",
        "names": (NameForm("Testa EXAMPLOVA", "primary"), NameForm("Теста ЭКЗАМПЛОВА", "alias")),
        "birth_dates": ("1956-02-07",),
        "gender": "female",
        "nationalities": ("Belarusian",),
        "positions": ("Judge of the Imaginary Court",),
        "programme": "EU-BLR",
        "listing_date": "2020-12-02",
        "measures": ("Asset freeze",),
        "reason": "Fictional reason.",
        "line": 2,
    }
    values.update(changes)
    return ListedRecord.create(**values)


def test_fingerprint_ignores_the_source_line() -> None:
    assert fictional(line=2).raw_fingerprint == fictional(line=900).raw_fingerprint


def test_fingerprint_changes_with_any_content() -> None:
    base = fictional()
    changed = [
        fictional(reason="Another fictional reason."),
        fictional(birth_dates=("1956",)),
        fictional(names=(NameForm("Testa EXAMPLOVA", "primary"),)),
        fictional(names=(NameForm("Testa EXAMPLOVA", "primary"), NameForm("Теста", "previous"))),
    ]
    assert base.raw_fingerprint not in {record.raw_fingerprint for record in changed}


def test_create_stores_the_fingerprint_of_the_content() -> None:
    record = fictional()
    assert record.raw_fingerprint == content_fingerprint(replace(record, line=1))
    assert len(record.raw_fingerprint) == 64


@pytest.mark.slow  # ~1.3 s a run on a quiet 2-core machine
def test_to_ftm_makes_a_person_with_a_safe_prefixed_id() -> None:
    entity = fictional().to_ftm()
    assert entity.schema.name == "Person"
    assert entity.id.startswith("eu-765-I.A-7-")
    assert registry.entity.clean(entity.id) == entity.id
    assert entity.get("name") == ["Testa EXAMPLOVA"]
    assert entity.get("alias") == ["Теста ЭКЗАМПЛОВА"]
    assert entity.get("birthDate") == ["1956-02-07"]
    assert entity.get("nationality") == ["by"]
    assert entity.get("topics") == ["sanction"]


def test_to_ftm_leaves_out_properties_the_schema_lacks() -> None:
    entity = fictional(schema="LegalEntity", positions=(), gender=None).to_ftm()
    assert entity.get("name") == ["Testa EXAMPLOVA"]
    assert "birthDate" not in entity.properties


def test_to_ftm_sanction_points_at_the_entity() -> None:
    record = fictional()
    sanction = record.to_ftm_sanction()
    assert sanction.get("entity") == [record.to_ftm().id]
    assert sanction.get("listingDate") == ["2020-12-02"]
    assert sanction.get("provisions") == ["Asset freeze"]


@given(st.text(max_size=60))
def test_safe_entity_id_is_always_accepted_by_followthemoney(raw: str) -> None:
    safe = safe_entity_id(raw)
    assert registry.entity.clean(safe) == safe
    assert safe == safe_entity_id(raw)


@given(st.text(max_size=30), st.text(max_size=30))
def test_safe_entity_id_keeps_different_ids_apart(first: str, second: str) -> None:
    if first != second:
        assert safe_entity_id(first) != safe_entity_id(second)
