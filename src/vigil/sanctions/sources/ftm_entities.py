"""Conversion of listed records into FollowTheMoney entities."""

from __future__ import annotations

from followthemoney import model
from followthemoney.proxy import EntityProxy

from vigil.sanctions.sources.records import NAME_PROPERTIES, ListedRecord, safe_entity_id


def record_to_entity(record: ListedRecord) -> EntityProxy:
    """The listed person, organisation or thing; properties its schema lacks are left out."""
    entity = model.make_entity(record.schema)
    entity.id = record.ftm_id
    for name in record.names:
        entity.add(NAME_PROPERTIES[name.kind], name.value, quiet=True)
    entity.add("birthDate", record.birth_dates, quiet=True)
    entity.add("birthPlace", record.birth_places, quiet=True)
    entity.add("gender", record.gender, quiet=True)
    # Values FtM cannot map to a country code ("former USSR") are dropped by FtM itself.
    entity.add("nationality", record.nationalities, quiet=True)
    entity.add("position", record.positions, quiet=True)
    entity.add("programId", record.programme, quiet=True)
    entity.add("topics", "sanction", quiet=True)
    return entity


def record_to_sanction(record: ListedRecord) -> EntityProxy:
    """The designation itself as a Sanction entity pointing at `record_to_entity`'s id."""
    sanction = model.make_entity("Sanction")
    sanction.id = safe_entity_id(f"{record.ftm_id}-sanction")
    sanction.add("entity", record.ftm_id)
    sanction.add("program", record.programme)
    sanction.add("programId", record.programme)
    sanction.add("listingDate", record.listing_date)
    sanction.add("startDate", record.listing_date)
    sanction.add("provisions", record.measures)
    sanction.add("reason", record.reason)
    return sanction
