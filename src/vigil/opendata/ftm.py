"""Published records as FollowTheMoney entities: Person, Organization, and Event per act."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy

PREFIX = "vigil"


def entity_id(kind: str, pk: Any) -> str:
    """The FtM id of a Vigil record."""
    return f"{PREFIX}-{kind}-{pk}"


def _label(terms: dict[str, str], term_id: str | None) -> str | None:
    return terms.get(term_id, term_id) if term_id else None


def _names(rows: list[dict[str, Any]], owner: str) -> dict[Any, list[str]]:
    found: dict[Any, list[str]] = defaultdict(list)
    for row in rows:
        found[row[owner]].append(row["value"])
    return found


def entities(data: dict[str, list[dict[str, Any]]]) -> Iterator[EntityProxy]:
    """FtM entities for the collected open data (see :func:`vigil.opendata.datasets.collect`)."""
    # followthemoney loads its whole schema model on import (about 1 s): only when exporting,
    # not whenever `vigil` lists its commands.
    from followthemoney import model

    terms = {t["id"]: t["label_en"] for t in data["terms"]}
    names = _names(data["person_names"], "person_id")
    people: dict[Any, str] = {}
    for row in data["persons"]:
        person = model.make_entity("Person")
        person.id = entity_id("person", row["id"])
        # A placeholder the source wrote instead of a name is not the person's name.
        if row["name_withheld"]:
            person.add("name", "(name withheld by the source)")
        else:
            person.add("name", row["display_name"])
            person.add("alias", [n for n in names[row["id"]] if n != row["display_name"]])
        if row["sex"] in {"male", "female", "other"}:
            person.add("gender", row["sex"])
        person.add("nationality", row["nationality"] or None, quiet=True)
        people[row["id"]] = row["display_name"]
        yield person
    org_names = _names(data["organisation_names"], "organisation_id")
    for row in data["organisations"]:
        org = model.make_entity("Organization")
        org.id = entity_id("organisation", row["id"])
        org.add("name", row["display_name"])
        org.add("alias", [n for n in org_names[row["id"]] if n != row["display_name"]])
        org.add("country", row["country"] or None, quiet=True)
        org.add("classification", _label(terms, row["kind_id"]))
        if row["parent_id"]:
            org.add("parent", entity_id("organisation", row["parent_id"]))
        yield org
    yield from _acts(data, terms)


def _acts(data: dict[str, list[dict[str, Any]]], terms: dict[str, str]) -> Iterator[EntityProxy]:
    from followthemoney import model

    provisions = {
        p["id"]: " ".join(
            x for x in (f"Part {p['part']} of" if p["part"] else "", f"Art. {p['article']}") if x
        )
        + f" ({p['code']} code, {p['jurisdiction']})"
        for p in data["legal_provisions"]
    }
    charges: dict[Any, list[str]] = defaultdict(list)
    for row in data["charges"]:
        if row["provision_id"] in provisions:
            charges[row["act_id"]].append(provisions[row["provision_id"]])
    perpetrators: dict[Any, list[str]] = defaultdict(list)
    for row in data["involvements"]:
        if row["perpetrator_person_id"]:
            perpetrators[row["act_id"]].append(entity_id("person", row["perpetrator_person_id"]))
        elif row["perpetrator_organisation_id"]:
            perpetrators[row["act_id"]].append(
                entity_id("organisation", row["perpetrator_organisation_id"])
            )
    events = {e["id"]: e for e in data["events"]}
    for row in data["acts"]:
        event = model.make_entity("Event")
        event.id = entity_id("act", row["id"])
        kind = _label(terms, row["act_type_id"]) or "Act"
        event.add("name", kind)
        if row["date"] and row["date_precision"] in {"day", "month", "year"}:
            cut = {"day": 10, "month": 7, "year": 4}[row["date_precision"]]
            event.add("date", row["date"].isoformat()[:cut])
        victim = row["victim_person_id"] or row["victim_organisation_id"]
        if victim:
            kind_of = "person" if row["victim_person_id"] else "organisation"
            event.add("involved", entity_id(kind_of, victim))
        event.add("involved", perpetrators[row["id"]])
        event.add(
            "summary", "; ".join(t for t in (row["sentence_text"], row["outcome"]) if t) or None
        )
        if charges[row["id"]]:
            event.add("description", "Legal basis: " + "; ".join(sorted(charges[row["id"]])))
        event.add("location", row["place_text"] or None)
        holder = events.get(row["event_id"])
        if holder:
            event.add("country", holder["country"] or None, quiet=True)
        yield event
